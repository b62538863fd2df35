#pragma once
// Finds the calling io_context's pool for a database. The registry is an io_context
// service, so the pools and their connections are closed when that io_context is
// destroyed (the server's io threads at shutdown, the command line's private contexts
// after each command), while the sockets' reactor still exists.
#include <boost/asio/execution_context.hpp>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "db/postgres/pool.hpp"

namespace gh::db::postgres {

class PoolRegistry final : public boost::asio::execution_context::service {
 public:
  using key_type = PoolRegistry;
  static boost::asio::execution_context::id id;

  explicit PoolRegistry(boost::asio::execution_context& context)
      : boost::asio::execution_context::service(context) {}

  // The pool of database `database_id` on this io_context, made on first use.
  Pool& pool(std::uint64_t database_id, const PoolOptions& options);

 private:
  void shutdown() override;

  std::unordered_map<std::uint64_t, std::unique_ptr<Pool>> pools_;
};

}  // namespace gh::db::postgres
