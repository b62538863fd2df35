#include "services/verified_tokens.hpp"

#include <atomic>
#include <functional>
#include <string>
#include <unordered_map>

namespace gh::services {

namespace {

std::atomic<std::uint64_t> next_owner{1};

struct Entry {
  std::uint64_t owner;
  crypto::TokenClaims claims;
};

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

using Memory = std::unordered_map<std::string, Entry, TextHash, std::equal_to<>>;

Memory& this_threads_memory() {
  thread_local Memory memory;
  return memory;
}

}  // namespace

VerifiedTokens::VerifiedTokens() : owner_(next_owner.fetch_add(1)) {}

const crypto::TokenClaims* VerifiedTokens::find(std::string_view token) const {
  const Memory& memory = this_threads_memory();
  const auto found = memory.find(token);
  if (found == memory.end() || found->second.owner != owner_) return nullptr;
  return &found->second.claims;
}

void VerifiedTokens::remember(std::string_view token, const crypto::TokenClaims& claims) const {
  Memory& memory = this_threads_memory();
  if (memory.size() >= kCapacity) memory.clear();
  memory.insert_or_assign(std::string(token), Entry{owner_, claims});
}

}  // namespace gh::services
