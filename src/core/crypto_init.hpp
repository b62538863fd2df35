#pragma once
// libsodium must be initialised before its CSPRNG and primitives are used.

namespace gh {

// Initialises libsodium exactly once; safe to call from any thread, any number of
// times. Throws std::runtime_error when the library cannot start (no entropy source).
void crypto_init();

}  // namespace gh
