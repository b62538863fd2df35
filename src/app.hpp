#pragma once
// The composition root: builds settings' consumers (database, services, middleware,
// routes) once and passes them down by constructor. No globals, no service locator.
#include <memory>
#include <string>

#include "config/settings.hpp"
#include "http/middleware.hpp"

namespace gh {

class App {
 public:
  // Opens the database; throws db::DbError when it cannot.
  explicit App(config::Settings settings);
  ~App();

  // Each returns the process's exit code.
  int serve();
  int migrate_up();
  int migrate_down(int steps);
  int migrate_status();
  int create_admin(const std::string& email, std::string password);

  // The whole request pipeline (middleware, router, services) without a socket, built
  // once: what `serve` runs, and what the in-process fuzz target feeds. The database must
  // be migrated first.
  const http::Pipeline& pipeline();
  const config::Settings& settings() const;

 private:
  struct Parts;
  struct Stack;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<Stack> stack_;  // after parts_: it points into them, so it dies first
};

}  // namespace gh
