#include "core/crypto_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace gh {

void crypto_init() {
  // A function-local static is initialised once even under concurrent first calls.
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace gh
