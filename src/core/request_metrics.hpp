#pragma once
// Request counts and latency histograms by endpoint (route template and method) and
// status, plus requests in flight. Each thread writes only its own shard, with relaxed
// loads and stores: no lock and no shared cache line per request. A scrape sums the shards.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gh {

class RequestMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  // The statuses counted one by one; anything else is counted as "other".
  static constexpr std::array<unsigned, 18> kStatuses{200, 201, 204, 304, 400, 401, 403, 404, 405,
                                                      408, 409, 413, 415, 422, 429, 431, 500, 503};

  struct Endpoint {
    std::string method;
    std::string route;
  };

  RequestMetrics();
  ~RequestMetrics();
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // The router's table, in order, before any request: endpoint i is route i. Requests no
  // route matched are counted by method under the route "unmatched".
  void set_routes(std::vector<Endpoint> routes);
  std::size_t unmatched(std::string_view method) const;

  void started();
  void finished(std::size_t endpoint, unsigned status, std::int64_t micros);

  struct Series {
    const Endpoint* endpoint;
    std::string status;
    std::uint64_t count = 0;
    std::uint64_t sum_micros = 0;
    std::array<std::uint64_t, kBuckets.size() + 1> buckets{};  // not cumulative; last is +Inf
  };
  // Every series with at least one request, summed over threads.
  std::vector<Series> snapshot() const;
  std::int64_t in_flight() const;

 private:
  struct Shard;
  Shard& shard();

  const std::uint64_t id_;  // never reused, unlike addresses: tags thread-local lookups
  std::vector<Endpoint> endpoints_;
  mutable std::mutex mutex_;  // guards shards_ (a thread's first request, and scrapes)
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace gh
