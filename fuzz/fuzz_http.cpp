// A whole HTTP exchange in process: bytes through Beast's parser (the server's limits),
// the middleware, the router, the handlers and services, to an in-memory SQLite database,
// and the response serialised. Several pipelined requests per input. The markers @ADMIN@,
// @USER@ and @REFRESH@ in the input become live tokens, so authenticated routes are reached.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>

#include "app.hpp"
#include "core/log.hpp"
#include "core/run_sync.hpp"
#include "http/incoming.hpp"
#include "http/response_bytes.hpp"

namespace {

namespace bhttp = gh::http::bhttp;

constexpr std::size_t kMaxRequestsPerInput = 8;
constexpr std::string_view kAdminEmail = "admin@fuzz.example";
constexpr std::string_view kAdminPassword = "fuzz-admin-password";

struct World {
  std::unique_ptr<gh::App> app;
  std::string admin_token, user_token, refresh_token;
};

gh::config::Settings fuzz_settings() {
  gh::config::Environment env{
      {"DATABASE_URL", "sqlite:///:memory:"},
      {"SECRET_KEY", "fuzzing-key-fuzzing-key-fuzzing-key-0123"},
      {"RATE_LIMIT_REQUESTS", "0"},    // every input comes from one address
      {"LOGIN_MAX_FAILURES", "1000"},  // the most it allows; fine for a fuzz run
      {"LOGIN_MAX_FAILURES_PER_ADDRESS", "1000000"},
      {"ARGON2_MEMORY_KIB", "8"},  // libsodium's floor: hashes in microseconds
      {"ARGON2_ITERATIONS", "1"},
      {"PASSWORD_HASH_THREADS", "1"},
      {"MAX_BODY_BYTES", "65536"},
      {"LOG_LEVEL", "off"},
  };
  return gh::config::load_settings(env);
}

gh::http::Response exchange(gh::App& app, gh::http::Request& req) {
  return gh::run_sync(app.pipeline().run(req));
}

std::string login_body(std::string_view email, std::string_view password) {
  return "{\"email\":\"" + std::string(email) + "\",\"password\":\"" + std::string(password) +
         "\"}";
}

// Tokens from a real login through the pipeline, as a client would get them.
boost::json::object login(gh::App& app, std::string_view path, const std::string& body) {
  gh::http::Request req;
  req.raw = gh::http::RawRequest(bhttp::verb::post, path, 11);
  req.raw.set(bhttp::field::content_type, "application/json");
  req.raw.body() = body;
  req.raw.prepare_payload();
  gh::http::split_target(req);
  req.peer_ip = req.client_ip = "127.0.0.1";
  return boost::json::parse(exchange(app, req).body()).as_object();
}

World& world() {
  static World* w = [] {
    auto* made = new World;
    made->app = std::make_unique<gh::App>(fuzz_settings());
    gh::log::configure(gh::log::Level::off, gh::log::Format::json);
    made->app->migrate_up();
    made->app->create_admin(std::string(kAdminEmail), std::string(kAdminPassword));
    auto admin = login(*made->app, "/auth/login", login_body(kAdminEmail, kAdminPassword));
    made->admin_token = admin.at("access_token").as_string().c_str();
    auto user =
        login(*made->app, "/auth/register", login_body("user@fuzz.example", "fuzz-user-pw"));
    made->user_token = user.at("access_token").as_string().c_str();
    made->refresh_token = user.at("refresh_token").as_string().c_str();
    return made;
  }();
  return *w;
}

void replace_all(std::string& text, std::string_view marker, const std::string& value) {
  for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at)) {
    text.replace(at, marker.size(), value);
    at += value.size();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  World& w = world();
  std::string input(reinterpret_cast<const char*>(data), size);
  replace_all(input, "@ADMIN@", w.admin_token);
  replace_all(input, "@USER@", w.user_token);
  replace_all(input, "@REFRESH@", w.refresh_token);
  const auto& settings = w.app->settings();

  boost::beast::flat_buffer buffer;
  auto in = buffer.prepare(input.size());
  std::memcpy(in.data(), input.data(), input.size());
  buffer.commit(input.size());
  for (std::size_t n = 0; n < kMaxRequestsPerInput && buffer.size() > 0; ++n) {
    gh::http::RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.max_header_bytes));
    parser.body_limit(settings.max_body_bytes);
    // The server's own in-place parse. Not done without an error: the input was truncated
    // (the server would read on, wait, then close).
    const boost::system::error_code ec = gh::http::parse_buffered(parser, buffer);
    if (!ec && !parser.is_done()) return 0;
    std::optional<gh::ApiError> refusal;
    if (ec) {
      refusal = gh::http::parse_failure(ec);
      if (!refusal) return 0;
    }
    const bool refused = refusal.has_value();
    gh::http::Request req =
        gh::http::make_request(parser, std::move(refusal), "127.0.0.1", settings.trusted_proxies,
                               settings.ipv6_prefix_length);
    gh::http::Response res = exchange(*w.app, req);
    res.keep_alive(!refused && req.raw.keep_alive());
    // The response must serialise, through the server's own writer when it takes it.
    std::string wire;
    if (gh::http::serializable(res)) {
      gh::http::serialize_response(res, wire);
    } else {
      std::ostringstream beast_wire;
      beast_wire << res;
    }
    if (res.result_int() >= 500 && res.result_int() != 503) __builtin_trap();  // no 500s
    if (refused || !res.keep_alive()) return 0;
  }
  return 0;
}
