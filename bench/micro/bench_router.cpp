// Route matching over the application's route table (the paths of the API contract, in
// the order the routers register them).
#include <benchmark/benchmark.h>

#include "http/router.hpp"

namespace {

using gh::http::bhttp::verb;

gh::http::Router make_router() {
  const std::pair<verb, const char*> table[] = {
      {verb::get, "/health"},         {verb::get, "/health/live"},
      {verb::get, "/health/ready"},   {verb::post, "/auth/register"},
      {verb::post, "/auth/login"},    {verb::post, "/auth/refresh"},
      {verb::post, "/auth/logout"},   {verb::post, "/auth/logout-all"},
      {verb::post, "/auth/password"}, {verb::get, "/users/me"},
      {verb::get, "/users/stats"},    {verb::get, "/users/"},
      {verb::get, "/users/{id}"},     {verb::patch, "/users/{id}"},
      {verb::delete_, "/users/{id}"},
  };
  gh::http::Router router;
  for (const auto& [method, path] : table) {
    gh::http::Route r;
    r.method = method;
    r.path = path;
    router.add(std::move(r));
  }
  return router;
}

void match(benchmark::State& state, verb method, const char* target) {
  static const gh::http::Router router = make_router();
  gh::http::Request req;
  req.raw.method(method);
  req.raw.target(target);
  gh::http::split_target(req);
  for (auto _ : state) benchmark::DoNotOptimize(&router.match(req));
}

void BM_RouterHealthLive(benchmark::State& s) {
  match(s, verb::get, "/health/live");
}
void BM_RouterUsersMe(benchmark::State& s) {
  match(s, verb::get, "/users/me");
}
void BM_RouterUserList(benchmark::State& s) {
  match(s, verb::get, "/users/?limit=50");
}
void BM_RouterUserById(benchmark::State& s) {
  match(s, verb::delete_, "/users/01936d8e-6f2a-7c3b-9d4e-5f6a7b8c9d0e");
}
BENCHMARK(BM_RouterHealthLive);
BENCHMARK(BM_RouterUsersMe);
BENCHMARK(BM_RouterUserList);
BENCHMARK(BM_RouterUserById);

}  // namespace
