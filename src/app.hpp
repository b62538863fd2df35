#pragma once
// The composition root: builds settings' consumers (database, services, middleware,
// routes) once and passes them down by constructor. No globals, no service locator.
#include <memory>
#include <string>

#include "config/settings.hpp"

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

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace gh
