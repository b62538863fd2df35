#pragma once
// The keyed hash under which a mailed token (a reset, verification or invitation link) is
// stored: a database dump alone gives no usable link, and nobody without SECRET_KEY can
// compute which row a guessed token would match.
#include <string>
#include <string_view>

#include "services/crypto/derived_key.hpp"

namespace gh::crypto {

class TokenHasher {
 public:
  // purpose: a fixed label such as "mail-token"; different purposes hash differently.
  TokenHasher(std::string_view secret_key, std::string_view purpose);
  ~TokenHasher();
  TokenHasher(const TokenHasher&) = delete;
  TokenHasher& operator=(const TokenHasher&) = delete;

  // base64url of BLAKE2b-256 keyed with this hasher's key. Rows are looked up by it, so the
  // comparison is the database's equality on a value only the key holder can produce.
  std::string hash(std::string_view token) const;

 private:
  Key32 key_;
};

}  // namespace gh::crypto
