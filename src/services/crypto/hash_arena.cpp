#include "services/crypto/hash_arena.hpp"

#include <sodium.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

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

using Clock = std::chrono::steady_clock;

struct Arena;
std::mutex g_registry_mutex;
std::vector<Arena*> g_registry;  // the arenas of threads that keep one

// One thread's kept memory. Its mutex is taken by that thread around a hash's mmap and
// munmap, and by release_idle() from another thread.
struct Arena {
  std::mutex mutex;
  void* base = nullptr;
  std::size_t size = 0;
  bool lent = false;  // between the hash's mmap and its munmap
  Clock::time_point returned{};

  ~Arena() {
    {
      std::lock_guard lock(g_registry_mutex);
      std::erase(g_registry, this);
    }
    std::lock_guard lock(mutex);
    unmap();
  }
  void unmap() {
    if (base) __real_munmap(base, size);
    forget();
  }
  void forget() {
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

// Called with a.mutex held and a not lent.
void* lend(Arena& a, std::size_t length, int prot, int flags) {
  if (a.base && a.size == length) {
    a.lent = true;
    g_reused.fetch_add(1, std::memory_order_relaxed);
    return a.base;
  }
  void* p = __real_mmap(nullptr, length, prot, flags, -1, 0);
  if (p == MAP_FAILED) return p;
  a.unmap();  // other parameters than last time: keep the newest size
  ::madvise(p, length, MADV_DONTDUMP);
  a.base = p;
  a.size = length;
  a.lent = true;
  g_mapped.fetch_add(1, std::memory_order_relaxed);
  return p;
}

}  // namespace

void keep_on_this_thread() {
  if (t_keeps) return;
  t_keeps = true;
  std::lock_guard lock(g_registry_mutex);
  g_registry.push_back(&t_arena);
}

void release_idle(std::chrono::milliseconds idle) {
  const auto now = Clock::now();
  std::lock_guard registry(g_registry_mutex);
  for (Arena* a : g_registry) {
    std::lock_guard lock(a->mutex);
    if (a->base && !a->lent && now - a->returned >= idle) a->unmap();
  }
}

Trimmer::Trimmer(std::chrono::milliseconds idle)
    : thread_([this, idle] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, idle, [this] { return stopping_; })) release_idle(idle);
      }) {}

Trimmer::~Trimmer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::span<const std::byte> this_thread_arena() {
  std::lock_guard lock(t_arena.mutex);
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
  if (!t_keeps || !gh::crypto::hash_arena::scratch(addr, prot, flags, fd))
    return __real_mmap(addr, length, prot, flags, fd, offset);
  std::lock_guard lock(t_arena.mutex);
  // A second mapping while the arena is out is not a hash's: the kernel's.
  if (t_arena.lent) return __real_mmap(addr, length, prot, flags, fd, offset);
  return gh::crypto::hash_arena::lend(t_arena, length, prot, flags);
}

extern "C" int __wrap_munmap(void* addr, std::size_t length) {
  if (!t_keeps) return __real_munmap(addr, length);
  std::lock_guard lock(t_arena.mutex);
  if (!t_arena.overlaps(addr, length)) return __real_munmap(addr, length);
  if (t_arena.lent && addr == t_arena.base && length == t_arena.size) {
    sodium_memzero(addr, length);
    t_arena.lent = false;
    t_arena.returned = gh::crypto::hash_arena::Clock::now();
    return 0;
  }
  // Part of the arena, or the whole of it with another length: not a hash returning it.
  // Forget it and let the kernel do as asked.
  t_arena.forget();
  return __real_munmap(addr, length);
}
