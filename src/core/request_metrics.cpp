#include "core/request_metrics.hpp"

#include <algorithm>
#include <utility>

namespace gh {
namespace {

constexpr std::array<std::string_view, 8> kOtherMethods{"GET",   "HEAD",   "POST",    "PUT",
                                                        "PATCH", "DELETE", "OPTIONS", "OTHER"};
constexpr std::size_t kStatusSlots = RequestMetrics::kStatuses.size() + 1;  // + "other"
constexpr std::size_t kCells = 2 + RequestMetrics::kBuckets.size() + 1;     // count, sum, buckets

std::atomic<std::uint64_t> next_id{1};

std::size_t status_slot(unsigned status) {
  const auto& s = RequestMetrics::kStatuses;
  auto it = std::find(s.begin(), s.end(), status);
  return static_cast<std::size_t>(it - s.begin());  // s.size() means "other"
}

std::size_t bucket_of(std::int64_t micros) {
  double seconds = static_cast<double>(micros) / 1e6;
  const auto& b = RequestMetrics::kBuckets;
  return static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), seconds) - b.begin());
}

// Only the owning thread writes a cell, so a relaxed load and store is enough (and cheaper
// than a locked read-modify-write); scrapes read with relaxed loads.
void bump(std::atomic<std::uint64_t>& cell, std::uint64_t by = 1) {
  cell.store(cell.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

}  // namespace

// Cache-line aligned so two threads' in-flight counters never share a line.
struct alignas(64) RequestMetrics::Shard {
  explicit Shard(std::size_t series) : cells(series * kCells) {}
  std::vector<std::atomic<std::uint64_t>> cells;
  std::atomic<std::int64_t> in_flight{0};
};

RequestMetrics::RequestMetrics() : id_(next_id++) {
  for (auto m : kOtherMethods) endpoints_.push_back({std::string(m), "unmatched"});
}

RequestMetrics::~RequestMetrics() = default;

void RequestMetrics::set_routes(std::vector<Endpoint> routes) {
  for (auto m : kOtherMethods) routes.push_back({std::string(m), "unmatched"});
  endpoints_ = std::move(routes);
}

std::size_t RequestMetrics::unmatched(std::string_view method) const {
  auto it = std::find(kOtherMethods.begin(), kOtherMethods.end(), method);
  if (it == kOtherMethods.end()) it = kOtherMethods.end() - 1;
  return endpoints_.size() - kOtherMethods.size() +
         static_cast<std::size_t>(it - kOtherMethods.begin());
}

RequestMetrics::Shard& RequestMetrics::shard() {
  // A thread remembers its shard of each RequestMetrics it has counted into (in practice
  // one), so only a thread's first request takes the lock.
  thread_local std::vector<std::pair<std::uint64_t, Shard*>> mine;
  for (const auto& [owner, shard] : mine)
    if (owner == id_) return *shard;
  std::lock_guard lock{mutex_};
  shards_.push_back(std::make_unique<Shard>(endpoints_.size() * kStatusSlots));
  mine.emplace_back(id_, shards_.back().get());
  return *shards_.back();
}

void RequestMetrics::started() {
  auto& s = shard();
  s.in_flight.store(s.in_flight.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void RequestMetrics::finished(std::size_t endpoint, unsigned status, std::int64_t micros) {
  auto& s = shard();
  s.in_flight.store(s.in_flight.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
  std::size_t first = (endpoint * kStatusSlots + status_slot(status)) * kCells;
  if (first + kCells > s.cells.size()) return;  // not a known endpoint
  auto* cell = &s.cells[first];
  bump(cell[0]);
  bump(cell[1], static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0)));
  bump(cell[2 + bucket_of(micros)]);
}

std::vector<RequestMetrics::Series> RequestMetrics::snapshot() const {
  std::lock_guard lock{mutex_};
  std::vector<Series> out;
  for (std::size_t e = 0; e < endpoints_.size(); ++e) {
    for (std::size_t st = 0; st < kStatusSlots; ++st) {
      Series series{&endpoints_[e],
                    st < kStatuses.size() ? std::to_string(kStatuses[st]) : "other"};
      for (const auto& shard : shards_) {
        if ((e * kStatusSlots + st + 1) * kCells > shard->cells.size()) continue;
        const auto* cell = &shard->cells[(e * kStatusSlots + st) * kCells];
        series.count += cell[0].load(std::memory_order_relaxed);
        series.sum_micros += cell[1].load(std::memory_order_relaxed);
        for (std::size_t b = 0; b < series.buckets.size(); ++b)
          series.buckets[b] += cell[2 + b].load(std::memory_order_relaxed);
      }
      if (series.count) out.push_back(std::move(series));
    }
  }
  return out;
}

std::int64_t RequestMetrics::in_flight() const {
  std::lock_guard lock{mutex_};
  std::int64_t n = 0;
  for (const auto& shard : shards_) n += shard->in_flight.load(std::memory_order_relaxed);
  return n;
}

}  // namespace gh
