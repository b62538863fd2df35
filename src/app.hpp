#pragma once
// The composition root: builds settings' consumers (database, services, middleware,
// routes) once and passes them down by constructor. No globals, no service locator.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "http/middleware.hpp"
#include "http/route.hpp"

namespace gh {

// `gatehouse keys ACTION`: list, create (alg), activate|revoke (kid, force), delete (kid).
struct KeysCommand {
  std::string action;
  std::string alg;
  std::string kid;
  bool force = false;
};

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
  // The signing keys offline, through the same service as /admin/keys (audited, reason "cli").
  int keys(const KeysCommand& command);
  // The project's version, as CMake's project() declares it.
  static std::string_view version();
  // Prints the OpenAPI document to stdout; needs no configuration and no database.
  // The document of the route table with ADMIN_CONSOLE as given (nothing else changes it).
  static int print_openapi(bool admin_console = true);
  // The router's table as `serve` builds it, handlers removed: for the test that checks
  // every route is documented. Needs no configuration and no database.
  static std::vector<http::Route> route_table();

  // The whole request pipeline (middleware, router, services) without a socket, built
  // once: what `serve` runs, and what the in-process fuzz target feeds. The database must
  // be migrated first.
  const http::Pipeline& pipeline();
  const config::Settings& settings() const;

 private:
  struct Parts;
  struct Stack;
  template <class F>
  static void with_offline_pipeline(F&& use, bool admin_console = true);
  // Makes the first key in the EdDSA and ES256 modes and loads the ring; says in the log why
  // the JWKS is empty in HS256 mode. Throws when the active key does not open.
  void prepare_signing_keys();
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<Stack> stack_;  // after parts_: it points into them, so it dies first
};

}  // namespace gh
