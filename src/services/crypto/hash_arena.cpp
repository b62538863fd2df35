#include "services/crypto/hash_arena.hpp"

#include <sodium.h>
#include <sys/mman.h>

#include <atomic>

// The linker's --wrap turns libsodium's calls to mmap and munmap into calls to these, and
// names the originals __real_*.
extern "C" {
void* __real_mmap(void* addr, std::size_t length, int prot, int flags, int fd, off_t offset);
int __real_munmap(void* addr, std::size_t length);
void* __wrap_mmap(void* addr, std::size_t length, int prot, int flags, int fd, off_t offset);
int __wrap_munmap(void* addr, std::size_t length);
}

namespace gh::crypto::hash_arena {
namespace {

struct Arena {
  void* base = nullptr;
  std::size_t size = 0;
  bool lent = false;  // between the hash's mmap and its munmap

  ~Arena() { release(); }
  void release() {
    if (base) __real_munmap(base, size);
    base = nullptr;
    size = 0;
    lent = false;
  }
  bool overlaps(const void* addr, std::size_t length) const {
    const auto* p = static_cast<const std::byte*>(addr);
    const auto* b = static_cast<const std::byte*>(base);
    return base && p < b + size && b < p + length;
  }
};

thread_local bool t_keeps = false;
thread_local Arena t_arena;
std::atomic<std::uint64_t> g_reused{0}, g_mapped{0};

// What Argon2's memory looks like: private, anonymous, read-write, placed by the kernel.
bool scratch(void* addr, int prot, int flags, int fd) {
  constexpr int kind = MAP_PRIVATE | MAP_ANONYMOUS;
  return addr == nullptr && fd == -1 && prot == (PROT_READ | PROT_WRITE) &&
         (flags & kind) == kind && (flags & MAP_FIXED) == 0;
}

void* lend(std::size_t length, int prot, int flags) {
  Arena& a = t_arena;
  if (a.base && a.size == length) {
    a.lent = true;
    g_reused.fetch_add(1, std::memory_order_relaxed);
    return a.base;
  }
  void* p = __real_mmap(nullptr, length, prot, flags, -1, 0);
  if (p == MAP_FAILED) return p;
  a.release();  // other parameters than last time: keep the newest size
  ::madvise(p, length, MADV_DONTDUMP);
  a.base = p;
  a.size = length;
  a.lent = true;
  g_mapped.fetch_add(1, std::memory_order_relaxed);
  return p;
}

}  // namespace

void keep_on_this_thread() {
  t_keeps = true;
}

std::span<const std::byte> this_thread_arena() {
  return {static_cast<const std::byte*>(t_arena.base), t_arena.size};
}

Counts counts() {
  return {g_reused.load(std::memory_order_relaxed), g_mapped.load(std::memory_order_relaxed)};
}

}  // namespace gh::crypto::hash_arena

using gh::crypto::hash_arena::t_arena;
using gh::crypto::hash_arena::t_keeps;

extern "C" void* __wrap_mmap(void* addr, std::size_t length, int prot, int flags, int fd,
                             off_t offset) {
  // A second mapping while the arena is out is not a hash's: the kernel's.
  if (!t_keeps || t_arena.lent || !gh::crypto::hash_arena::scratch(addr, prot, flags, fd))
    return __real_mmap(addr, length, prot, flags, fd, offset);
  return gh::crypto::hash_arena::lend(length, prot, flags);
}

extern "C" int __wrap_munmap(void* addr, std::size_t length) {
  if (!t_keeps || !t_arena.overlaps(addr, length)) return __real_munmap(addr, length);
  if (t_arena.lent && addr == t_arena.base && length == t_arena.size) {
    sodium_memzero(addr, length);
    t_arena.lent = false;
    return 0;
  }
  // Part of the arena, or the whole of it with another length: not a hash returning it.
  // Forget it and let the kernel do as asked.
  t_arena.base = nullptr;
  t_arena.size = 0;
  t_arena.lent = false;
  return __real_munmap(addr, length);
}
