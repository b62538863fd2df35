#include "http/field_allocator.hpp"

#include <array>
#include <new>
#include <utility>

namespace gh::http::field_blocks {

namespace {

#if defined(__SANITIZE_ADDRESS__)
#define GH_RECYCLE_FIELDS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GH_RECYCLE_FIELDS 0
#endif
#endif
#ifndef GH_RECYCLE_FIELDS
#define GH_RECYCLE_FIELDS 1
#endif

constexpr std::size_t kGranule = 32;
constexpr std::size_t kLargestRecycled = 256;
constexpr std::size_t kClasses = kLargestRecycled / kGranule;
// Enough for the fields of several requests in flight; past it blocks go back to malloc,
// so a thread that frees what others allocated cannot hoard memory.
constexpr std::size_t kKeptPerClass = 256;

struct FreeBlock {
  FreeBlock* next;
};

struct Lists {
  std::array<FreeBlock*, kClasses> head{};
  std::array<std::size_t, kClasses> kept{};
  ~Lists() {
    for (FreeBlock* block : head) {
      while (block) ::operator delete(std::exchange(block, block->next));
    }
  }
};

thread_local Lists t_lists;

std::size_t size_class(std::size_t bytes) {
  return (bytes + kGranule - 1) / kGranule - 1;
}

}  // namespace

void* allocate(std::size_t bytes) {
  if (!GH_RECYCLE_FIELDS || bytes == 0 || bytes > kLargestRecycled) return ::operator new(bytes);
  const std::size_t c = size_class(bytes);
  Lists& lists = t_lists;
  if (FreeBlock* block = lists.head[c]) {
    lists.head[c] = block->next;
    --lists.kept[c];
    return block;
  }
  return ::operator new((c + 1) * kGranule);
}

void deallocate(void* block, std::size_t bytes) noexcept {
  if (!GH_RECYCLE_FIELDS || bytes == 0 || bytes > kLargestRecycled) {
    ::operator delete(block);
    return;
  }
  const std::size_t c = size_class(bytes);
  Lists& lists = t_lists;
  if (lists.kept[c] >= kKeptPerClass) {
    ::operator delete(block);
    return;
  }
  lists.head[c] = new (block) FreeBlock{lists.head[c]};
  ++lists.kept[c];
}

}  // namespace gh::http::field_blocks
