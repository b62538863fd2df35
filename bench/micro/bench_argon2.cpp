// Argon2id verify with the production parameters, through the hasher's own pool: its
// median sets the login ceiling (cores / verify time) that bench/run compares against.
#include <benchmark/benchmark.h>

#include <string>
#include <thread>

#include "core/crypto_init.hpp"
#include "core/run_sync.hpp"
#include "services/crypto/password_hasher.hpp"

namespace {

void BM_Argon2idVerify(benchmark::State& state) {
  gh::crypto_init();
  gh::crypto::PasswordHasher hasher({}, 1, 4);
  std::string hash = gh::run_sync(hasher.hash("bench-password-1234"));
  for (auto _ : state) {
    if (!gh::run_sync(hasher.verify(hash, "bench-password-1234")))
      state.SkipWithError("password did not verify");
  }
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime();

// Two verifies at once on a pool of two, as two cores of logins run them: each iteration is
// both. Not the ceiling of the target (that is the one above), but what explains
// the distance to it: two verifies' memory (2 x 19 MiB) no longer fits the shared cache.
void BM_Argon2idVerifyTwoAtOnce(benchmark::State& state) {
  gh::crypto_init();
  gh::crypto::PasswordHasher hasher({}, 2, 4);
  std::string hash = gh::run_sync(hasher.hash("bench-password-1234"));
  auto verify = [&] {
    if (!gh::run_sync(hasher.verify(hash, "bench-password-1234")))
      state.SkipWithError("password did not verify");
  };
  for (auto _ : state) {
    std::thread other(verify);
    verify();
    other.join();
  }
}
BENCHMARK(BM_Argon2idVerifyTwoAtOnce)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
