#pragma once
// CORS with credentials for the configured origins only. A request or preflight from any
// other origin gets no Access-Control-Allow-* header at all.
#include <string>
#include <vector>

#include "http/middleware.hpp"

namespace gh::middleware {

class Cors final : public http::Middleware {
 public:
  explicit Cors(std::vector<std::string> allowed_origins);
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;

 private:
  bool allowed(std::string_view origin) const;
  http::Response preflight(const http::Request& req, std::string_view origin) const;

  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace gh::middleware
