#pragma once
// The allocator of every request's and response's header fields. Beast allocates each
// field on its own (name and value with it): a dozen allocations and frees per request.
// Freed blocks of up to kLargestRecycled bytes are kept in per-thread lists by size class,
// so a request reuses the blocks of the one before instead of going through malloc's
// arenas (which the io threads would contend on). Under AddressSanitizer every block goes
// straight to operator new and delete, so that a use after free is still caught.
#include <cstddef>

namespace gh::http {

namespace field_blocks {
void* allocate(std::size_t bytes);
void deallocate(void* block, std::size_t bytes) noexcept;
}  // namespace field_blocks

template <class T>
struct FieldAllocator {
  using value_type = T;

  FieldAllocator() noexcept = default;
  template <class U>
  FieldAllocator(const FieldAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(std::size_t n) { return static_cast<T*>(field_blocks::allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { field_blocks::deallocate(p, n * sizeof(T)); }

  template <class U>
  bool operator==(const FieldAllocator<U>&) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const FieldAllocator<U>&) const noexcept {
    return false;
  }
};

}  // namespace gh::http
