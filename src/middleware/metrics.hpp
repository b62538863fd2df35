#pragma once
// Counts every request and its latency by route template, method and status, and the
// requests in flight, into RequestMetrics (per-thread shards, no lock per request).
#include "core/request_metrics.hpp"
#include "http/middleware.hpp"

namespace gh::middleware {

class Metrics final : public http::Middleware {
 public:
  explicit Metrics(RequestMetrics& metrics) : metrics_(metrics) {}
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;

 private:
  RequestMetrics& metrics_;
};

}  // namespace gh::middleware
