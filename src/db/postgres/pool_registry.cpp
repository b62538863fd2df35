#include "db/postgres/pool_registry.hpp"

namespace gh::db::postgres {

boost::asio::execution_context::id PoolRegistry::id;

Pool& PoolRegistry::pool(std::uint64_t database_id, const PoolOptions& options) {
  auto& slot = pools_[database_id];
  if (!slot) slot = std::make_unique<Pool>(options);
  return *slot;
}

void PoolRegistry::shutdown() {
  // Idle connections close now; lent ones close when the io_context destroys the
  // coroutines that hold them, which happens after every service has shut down.
  for (auto& [id, pool] : pools_) pool->close_idle();
}

}  // namespace gh::db::postgres
