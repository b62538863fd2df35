// JSON on the hot path: UserOut (GET /users/me, 50 of them for the list) and the login
// body.
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "schemas/auth.hpp"
#include "schemas/user.hpp"
#include "schemas/user_json.hpp"

namespace {

gh::models::User user(int i) {
  gh::models::User u;
  u.id = "01936d8e-6f2a-7c3b-9d4e-5f6a7b8c9d" + std::to_string(10 + i % 90);
  u.email = "bench-user-" + std::to_string(i) + "@example.com";
  u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA";
  u.role = gh::models::Role::user;
  u.created_at = 1'764'000'000'123'456;
  u.updated_at = 1'764'000'000'654'321;
  return u;
}

// What GET /users/me and GET /users/ send: the text written directly.
void BM_EncodeUserOut(benchmark::State& state) {
  auto u = user(1);
  for (auto _ : state) benchmark::DoNotOptimize(gh::schemas::user_json(u));
}
BENCHMARK(BM_EncodeUserOut);

void BM_EncodeUserList50(benchmark::State& state) {
  std::vector<gh::models::User> users;
  for (int i = 0; i < 50; ++i) users.push_back(user(i));
  for (auto _ : state) benchmark::DoNotOptimize(gh::schemas::users_json(users));
}
BENCHMARK(BM_EncodeUserList50);

// The same bytes through a json::value, as before (and as other answers still do).
void BM_EncodeUserOutViaJsonValue(benchmark::State& state) {
  auto u = user(1);
  for (auto _ : state)
    benchmark::DoNotOptimize(boost::json::serialize(gh::schemas::encode_user(u)));
}
BENCHMARK(BM_EncodeUserOutViaJsonValue);

void BM_DecodeLoginBody(benchmark::State& state) {
  const std::string body =
      R"({"email":"Bench-User-7@Example.com","password":"bench-password-1234"})";
  for (auto _ : state) {
    auto creds = gh::schemas::decode_login(boost::json::parse(body));
    benchmark::DoNotOptimize(creds);
  }
}
BENCHMARK(BM_DecodeLoginBody);

}  // namespace
