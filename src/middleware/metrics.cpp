#include "middleware/metrics.hpp"

#include <chrono>

#include "http/route.hpp"

namespace gh::middleware {
namespace {

// Keeps the in-flight gauge right even when the rest of the chain throws.
class InFlight {
 public:
  InFlight(RequestMetrics& m, const http::Request& req) : m_(m), req_(req) { m_.started(); }
  ~InFlight() { m_.finished(endpoint(), status_, micros()); }
  void answered(unsigned status) { status_ = status; }

 private:
  std::size_t endpoint() const {
    if (req_.route) return req_.route->index;
    auto method = req_.raw.method_string();
    return m_.unmatched({method.data(), method.size()});
  }
  std::int64_t micros() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 start_)
        .count();
  }

  RequestMetrics& m_;
  const http::Request& req_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  unsigned status_ = 500;  // what Pipeline::run answers for anything that escapes
};

}  // namespace

boost::asio::awaitable<http::Response> Metrics::handle(http::Request& req, http::Next next) {
  InFlight in_flight(metrics_, req);
  http::Response res = co_await next(req);
  in_flight.answered(res.result_int());
  co_return res;
}

}  // namespace gh::middleware
