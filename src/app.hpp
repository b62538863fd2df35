#pragma once
// The composition root: builds settings' consumers (database, services, middleware,
// routes) once and passes them down by constructor. No globals, no service locator.
#include <memory>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "http/route.hpp"

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
  // Prints the OpenAPI document to stdout; needs no configuration and no database.
  static int print_openapi();
  // The router's table as `serve` builds it, handlers removed: for the test that checks
  // every route is documented. Needs no configuration and no database.
  static std::vector<http::Route> route_table();

 private:
  struct Parts;
  template <class F>
  static void with_offline_pipeline(F&& use);
  std::unique_ptr<Parts> parts_;
};

}  // namespace gh
