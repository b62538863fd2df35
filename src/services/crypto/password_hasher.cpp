#include "services/crypto/password_hasher.hpp"

#include <sodium.h>

#include <boost/asio/post.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/api_error.hpp"
#include "core/crypto_init.hpp"
#include "core/offload.hpp"
#include "core/random.hpp"
#include "services/crypto/bcrypt_verify.hpp"
#include "services/crypto/hash_arena.hpp"

namespace gh::crypto {

namespace {

constexpr int kHashThreadNice = 10;

// Holds one admitted job's place in the count; the place is freed exactly once,
// whether the job ran, threw, or was dropped without running.
class Slot {
 public:
  explicit Slot(std::atomic<std::size_t>& count) : count_(&count) {}
  Slot(Slot&& other) noexcept : count_(std::exchange(other.count_, nullptr)) {}
  Slot& operator=(Slot&&) = delete;
  ~Slot() {
    if (count_) count_->fetch_sub(1);
  }

 private:
  std::atomic<std::size_t>* count_;
};

// A password that is wiped when dropped, and from every object it is moved out of.
class Secret {
 public:
  explicit Secret(std::string& source) : value_(std::move(source)) { wipe(source); }
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { wipe(other.value_); }
  Secret& operator=(Secret&&) = delete;
  ~Secret() { wipe(value_); }
  const std::string& get() const { return value_; }

 private:
  // Growing to the capacity first reaches bytes a short-string move leaves behind.
  static void wipe(std::string& s) noexcept {
    s.resize(s.capacity());
    sodium_memzero(s.data(), s.size());
    s.clear();
  }
  std::string value_;
};

PasswordHasher::Params checked(PasswordHasher::Params params, unsigned threads) {
  if (threads == 0) throw std::invalid_argument("PasswordHasher needs at least one thread");
  if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      params.memlimit < crypto_pwhash_MEMLIMIT_MIN) {
    throw std::invalid_argument("Argon2id parameters below libsodium's minimum");
  }
  return params;
}

std::string hash_now(const std::string& password, PasswordHasher::Params params) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit, params.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("Argon2id hashing failed (out of memory)");
  }
  return std::string(out);
}

// libsodium reads the hash as a C string: one longer than its buffer or with an inner
// NUL (which would cut it short) is not a hash we wrote.
bool readable(const std::string& encoded) {
  return encoded.size() < crypto_pwhash_STRBYTES && encoded.find('\0') == std::string::npos;
}

bool verify_now(const std::string& encoded, const std::string& password) {
  // Hashes brought over from the reference app; needs_rehash() upgrades them at login.
  if (is_bcrypt_hash(encoded)) return bcrypt_verify(encoded, password);
  if (!readable(encoded)) return false;
  // libsodium compares the recomputed tag in constant time.
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

// Once per hashing thread. It yields to the io threads (nice 10: about a tenth of a
// contended core), so that a login storm slows logins down, not every other request; and
// it keeps Argon2's memory from one hash to the next (hash_arena.hpp).
void prepare_hashing_thread() {
  thread_local bool done = false;
  if (done) return;
  done = true;
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kHashThreadNice);
  hash_arena::keep_on_this_thread();
}

// Runs work on the pool; the slot is freed inside the job, before the caller resumes,
// so a caller that hashes again at once finds its place free.
template <class Work>
auto on_pool(boost::asio::thread_pool& pool, HashGate& gate, Slot slot, Work work) {
  return offload(pool.get_executor(),
                 [&gate, slot = std::move(slot), work = std::move(work)]() mutable {
                   const Slot held = std::move(slot);
                   prepare_hashing_thread();
                   const HashGate::Turn turn(gate);
                   return work();
                 });
}

}  // namespace

PasswordHasher::PasswordHasher(Params params, unsigned threads, unsigned max_waiting,
                               std::function<bool()> busy)
    : params_(checked(params, threads)),
      capacity_(std::size_t{threads} + max_waiting),
      gate_(threads, std::move(busy)),
      pool_(threads) {
  crypto_init();
  // Made on the pool, not here: a hash is tens of milliseconds that start-up need not wait.
  boost::asio::post(pool_, [this] {
    prepare_hashing_thread();
    try {
      static_cast<void>(dummy_hash());
    } catch (...) {
      // Out of memory now; the first verify_dummy tries again.
    }
  });
}

const std::string& PasswordHasher::dummy_hash() {
  // A random password nobody knows: verify_dummy can never succeed.
  std::call_once(dummy_once_, [this] { dummy_hash_ = hash_now(random_token(32), params_); });
  return dummy_hash_;
}

PasswordHasher::~PasswordHasher() {
  stop();
}

void PasswordHasher::admit() {
  // Count first, then check, so concurrent callers cannot all slip under the limit.
  const std::size_t before = in_flight_.fetch_add(1);
  if (stopped_.load() || before >= capacity_) {
    in_flight_.fetch_sub(1);
    throw service_unavailable("Password hashing is busy, try again");
  }
}

boost::asio::awaitable<std::string> PasswordHasher::hash(std::string password) {
  admit();
  Slot slot{in_flight_};
  return on_pool(pool_, gate_, std::move(slot), [secret = Secret{password}, params = params_] {
    return hash_now(secret.get(), params);
  });
}

boost::asio::awaitable<bool> PasswordHasher::verify(std::string encoded_hash,
                                                    std::string password) {
  admit();
  Slot slot{in_flight_};
  return on_pool(
      pool_, gate_, std::move(slot),
      [encoded = std::move(encoded_hash), secret = Secret{password}, count = &verifications_] {
        bool ok = verify_now(encoded, secret.get());
        count->fetch_add(1, std::memory_order_relaxed);
        return ok;
      });
}

boost::asio::awaitable<void> PasswordHasher::verify_dummy(std::string password) {
  admit();
  Slot slot{in_flight_};
  // The pool is joined before this object dies, so the job may point at it.
  return on_pool(pool_, gate_, std::move(slot),
                 [this, secret = Secret{password}, count = &verifications_] {
                   static_cast<void>(verify_now(dummy_hash(), secret.get()));
                   count->fetch_add(1, std::memory_order_relaxed);
                 });
}

bool PasswordHasher::needs_rehash(const std::string& encoded) const {
  if (!readable(encoded)) return true;
  // Non-zero both for other parameters (1) and for a hash that is not Argon2id (-1).
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), params_.opslimit, params_.memlimit) != 0;
}

std::size_t PasswordHasher::queue_depth() const {
  return in_flight_.load();
}

void PasswordHasher::stop() {
  if (stopped_.exchange(true)) return;
  // join, not thread_pool::stop: admitted jobs finish and their callers resume.
  pool_.join();
}

}  // namespace gh::crypto
