#include "services/verified_tokens.hpp"

#include <sodium.h>

#include <array>
#include <atomic>
#include <string>
#include <unordered_map>

#include "core/crypto_init.hpp"

namespace gh::services {

namespace {

std::atomic<std::uint64_t> next_owner{1};

struct Entry {
  std::uint64_t owner;
  std::uint64_t generation;
  crypto::TokenClaims claims;
};

// The lookup must not become an oracle for someone else's token: buckets come from SipHash
// under a key made at start (a client cannot aim at the bucket of a token it does not
// know), and a candidate is compared in constant time.
struct TokenHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view token) const {
    static const auto key = [] {
      crypto_init();
      std::array<unsigned char, crypto_shorthash_KEYBYTES> k{};
      randombytes_buf(k.data(), k.size());
      return k;
    }();
    std::uint64_t out = 0;
    crypto_shorthash(reinterpret_cast<unsigned char*>(&out),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     key.data());
    return static_cast<std::size_t>(out);
  }
};

struct TokenEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
  }
};

using Memory = std::unordered_map<std::string, Entry, TokenHash, TokenEqual>;

Memory& this_threads_memory() {
  thread_local Memory memory;
  return memory;
}

}  // namespace

VerifiedTokens::VerifiedTokens() : owner_(next_owner.fetch_add(1)) {}

const crypto::TokenClaims* VerifiedTokens::find(std::string_view token,
                                                std::uint64_t generation) const {
  const Memory& memory = this_threads_memory();
  const auto found = memory.find(token);
  if (found == memory.end() || found->second.owner != owner_ ||
      found->second.generation != generation)
    return nullptr;
  return &found->second.claims;
}

void VerifiedTokens::remember(std::string_view token, const crypto::TokenClaims& claims,
                              std::uint64_t generation) const {
  Memory& memory = this_threads_memory();
  if (memory.size() >= kCapacity) memory.clear();
  memory.insert_or_assign(std::string(token), Entry{owner_, generation, claims});
}

}  // namespace gh::services
