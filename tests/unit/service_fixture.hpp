#pragma once
// AuthService and UserService wired as App wires them (src/app.cpp), with their real
// dependencies: SQLite in memory, migrated; the real Argon2id hasher at libsodium's lowest
// cost; real JWTs; the in-process throttles. Time is a ManualClock that every
// one of them reads, so a test moves the clock instead of sleeping.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "config/settings.hpp"
#include "core/api_error.hpp"
#include "core/clock.hpp"
#include "core/crypto_init.hpp"
#include "core/log.hpp"
#include "core/rate_limiter.hpp"
#include "core/run_sync.hpp"
#include "db/migrator.hpp"
#include "db/session_repository.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "in_memory_settings.hpp"
#include "services/auth_service.hpp"
#include "services/crypto/jwt.hpp"
#include "services/crypto/password_hasher.hpp"
#include "services/device_tokens.hpp"
#include "services/token_service.hpp"
#include "services/user_service.hpp"

namespace gh {

// gtest names an ErrorCode by its wire code (found by argument-dependent lookup).
inline void PrintTo(ErrorCode id, std::ostream* out) {
  *out << error_spec(id).code;
}

}  // namespace gh

namespace gh::test {

// The client address group a test's logins come from.
inline constexpr std::string_view kClient = "192.0.2.1";
// The address and User-Agent their sessions record.
inline const services::ClientInfo kFrom{"192.0.2.1", "test-agent/1.0"};

// What must hold before any member is built: libsodium started, logs off.
struct Quiet {
  Quiet() {
    crypto_init();
    log::configure(log::Level::off, log::Format::json);
  }
};

struct Services : private Quiet {
  explicit Services(config::Settings s = in_memory_settings())
      : settings(std::move(s)),
        database(db::open_sqlite({.path = ":memory:"})),
        users(*database),
        sessions(*database),
        hasher({settings.argon2_iterations, settings.argon2_memory_kib * 1024}, 1,
               settings.password_hash_queue),
        codec(settings.secret_key, crypto::JwtOptions{settings.jwt_leeway_seconds,
                                                      settings.jwt_issuer, settings.jwt_audience}),
        tokens(codec, clock, settings.access_token_expire_minutes,
               settings.refresh_token_expire_days),
        devices(settings.secret_key),
        login_failures(settings.login_max_failures, settings.login_failure_window_seconds, clock),
        account_failures(settings.login_max_failures_per_account,
                         settings.login_failure_window_seconds, clock),
        address_failures(settings.login_max_failures_per_address,
                         settings.login_failure_window_seconds, clock),
        audit({}, clock, audit_queue, audit_stats),
        auth({users, sessions, hasher, tokens, clock, login_failures, account_failures,
              address_failures, devices, audit}),
        user_service(users, hasher, clock, audit) {
    db::Migrator migrator(*database, db::embedded_migrations(database->dialect()));
    run_sync(migrator.up());
  }

  // --- shorthands, each one call of a service ---------------------------------------------

  services::TokenPair register_user(const std::string& email,
                                    const std::string& password = "correct horse") {
    return run_sync(auth.register_user({email, password}, kFrom));
  }
  services::LoginResult login(const std::string& email, const std::string& password) {
    return run_sync(auth.login({email, password}, kClient, kFrom));
  }
  services::Principal who(const std::string& access_token) {
    return run_sync(auth.authenticate(access_token));
  }
  // An active admin, as `gatehouse create-admin` makes one; their tokens.
  services::TokenPair admin(const std::string& email, const std::string& password = "admin pass") {
    run_sync(user_service.create_admin(email, password, sessions));
    return login(email, password).pair;
  }
  std::string id_of(const std::string& access_token) { return who(access_token).user.id; }
  // The user `id` acting from kFrom, in no particular session.
  static services::Actor as(const std::string& id) { return {id, {}, kFrom}; }

  config::Settings settings;
  ManualClock clock;
  std::unique_ptr<db::Database> database;
  db::UserRepository users;
  db::SessionRepository sessions;
  crypto::PasswordHasher hasher;
  crypto::JwtCodec codec;
  services::TokenService tokens;
  services::DeviceTokens devices;
  services::AuditStats audit_stats;
  services::AuditQueue audit_queue{1000};
  LocalRateLimiter login_failures;
  LocalRateLimiter account_failures;
  LocalRateLimiter address_failures;
  services::AuditLog audit;
  services::AuthService auth;
  services::UserService user_service;
};

// The catalog entry an action fails with, or nothing when it does not throw ApiError.
inline std::optional<ErrorCode> error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ApiError& e) {
    return e.id();
  }
  return std::nullopt;
}

// The ApiError an action throws (a test failure when it throws none).
inline ApiError api_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an ApiError";
  return ApiError(ErrorCode::internal_error);
}

}  // namespace gh::test
