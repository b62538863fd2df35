// HS256 access tokens: signed at every login and refresh, verified on every
// authenticated request.
#include <benchmark/benchmark.h>

#include "services/crypto/jwt.hpp"

namespace {

const gh::crypto::JwtCodec& codec() {
  static const gh::crypto::JwtCodec c("bench-secret-key-not-for-production-0123456789abcdef");
  return c;
}

gh::crypto::TokenClaims claims() {
  return {
      "01936d8e-6f2a-7c3b-9d4e-5f6a7b8c9d0e", "access",      "01936d8e-7000-7aaa-8bbb-cccdddeeefff",
      "01936d8e-7111-7222-8333-444555666777", 1'764'000'000, 1'764'000'900};
}

void BM_JwtSign(benchmark::State& state) {
  auto c = claims();
  for (auto _ : state) benchmark::DoNotOptimize(codec().sign(c));
}
BENCHMARK(BM_JwtSign);

void BM_JwtVerify(benchmark::State& state) {
  std::string token = codec().sign(claims());
  for (auto _ : state) {
    auto v = codec().verify(token, 1'764'000'100);
    if (!v.claims) state.SkipWithError("token did not verify");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_JwtVerify);

}  // namespace
