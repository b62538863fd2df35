// gatehouse: serve, migrate, create-admin, keys, healthcheck. Bad flags or settings: one line,
// exit 2.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/system/system_error.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "cli/healthcheck.hpp"
#include "config/settings.hpp"
#include "core/api_error.hpp"
#include "core/log.hpp"
#include "db/database.hpp"
#include "schemas/rules.hpp"

namespace {

struct Options {
  std::optional<std::string> host;
  std::optional<unsigned> port;
  std::optional<unsigned> threads;
  int down_steps = 1;
  std::string admin_email;
  bool password_stdin = false;
  std::string check_path = "/health/ready";
  unsigned check_timeout = 5;
  gh::KeysCommand keys;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "gatehouse: %s\n", message.c_str());
  return 2;
}

gh::config::Settings load(const Options& o) {
  auto env = gh::config::read_environment(".env");
  if (o.host) env["HOST"] = *o.host;
  if (o.port) env["PORT"] = std::to_string(*o.port);
  if (o.threads) env["THREADS"] = std::to_string(*o.threads);
  auto settings = gh::config::load_settings(env);
  gh::log::configure(gh::log::parse_level(settings.log_level),
                     settings.log_format == "text" ? gh::log::Format::text : gh::log::Format::json);
  return settings;
}

// The password is the first line of standard input, so it never shows in `ps` or history.
std::optional<std::string> read_password() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int create_admin(gh::App& app, const Options& o) {
  std::string why;
  auto email = gh::schemas::normalize_email(o.admin_email, why);
  if (!email) return fail("--email: " + why);
  auto password = read_password();
  if (!password) return fail("--password-stdin: no password on standard input");
  if (auto problem = gh::schemas::password_problem(*password); !problem.empty())
    return fail("--password-stdin: " + problem);
  return app.create_admin(*email, std::move(*password));
}

}  // namespace

// A kid is base64url, so it may begin with '-', which a parser takes for an option: for
// `keys activate|revoke|delete`, the flags are moved before a "--" and what is left after it,
// so `gatehouse keys revoke -bX3o... --force` reads as the operator meant.
std::vector<std::string> kid_after_double_dash(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  const auto keys = std::find(args.begin(), args.end(), "keys");
  if (keys == args.end() || keys + 1 == args.end()) return args;
  const std::string& action = *(keys + 1);
  if (action != "activate" && action != "revoke" && action != "delete") return args;
  std::vector<std::string> flags, rest;
  for (auto it = keys + 2; it != args.end(); ++it) {
    if (*it == "--force" || *it == "--help" || *it == "-h")
      flags.push_back(*it);
    else if (*it != "--")
      rest.push_back(*it);
  }
  std::vector<std::string> out(args.begin(), keys + 2);
  out.insert(out.end(), flags.begin(), flags.end());
  out.push_back("--");
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

int main(int argc, char** argv) {
  CLI::App cli{"gatehouse: users, sessions and tokens over HTTP"};
  cli.set_version_flag("--version", std::string(gh::App::version()));
  // Not require_subcommand(1): CLI11 checks that before unknown arguments, and would
  // answer "a subcommand is required" to `gatehouse --bogus` instead of naming --bogus.
  cli.require_subcommand(0, 1);
  Options o;

  auto* serve = cli.add_subcommand("serve", "Serve the HTTP API until SIGINT/SIGTERM");
  serve->add_option("--host", o.host, "Address to listen on (HOST)");
  serve->add_option("--port", o.port, "Port to listen on (PORT)")->check(CLI::Range(0, 65535));
  serve->add_option("--threads", o.threads, "io threads (THREADS)")->check(CLI::Range(1, 1024));

  auto* migrate = cli.add_subcommand("migrate", "Apply, revert or list schema migrations");
  migrate->require_subcommand(1);
  auto* up = migrate->add_subcommand("up", "Apply every pending migration");
  auto* down = migrate->add_subcommand("down", "Revert the last N migrations (default 1)");
  down->add_option("N", o.down_steps, "How many")->check(CLI::PositiveNumber);
  auto* status = migrate->add_subcommand("status", "List migrations and whether applied");

  auto* admin = cli.add_subcommand("create-admin", "Create an admin, or promote a user");
  admin->add_option("--email", o.admin_email, "The admin's email")->required();
  admin->add_flag("--password-stdin", o.password_stdin, "Read the password from stdin")->required();

  auto* keys = cli.add_subcommand("keys", "List and rotate the keys that sign access tokens");
  keys->require_subcommand(1);
  keys->add_subcommand("list", "Every key and its state");
  keys->add_subcommand("create", "Make a standby key")
      ->add_option("--alg", o.keys.alg, "EdDSA or ES256")
      ->required()
      ->check(CLI::IsMember({"EdDSA", "ES256"}));
  for (const auto* name : {"activate", "revoke"}) {
    auto* sub = keys->add_subcommand(name, std::string(name) == "activate"
                                               ? "Make a key the one that signs"
                                               : "Unpublish a key and refuse its tokens");
    sub->add_option("KID", o.keys.kid, "The key's id")->required();
    sub->add_flag("--force", o.keys.force, "Lift the time guard");
  }
  keys->add_subcommand("delete", "Delete a revoked key")
      ->add_option("KID", o.keys.kid, "The key's id")
      ->required();

  auto* openapi = cli.add_subcommand("openapi", "Print the OpenAPI 3.1 document to stdout");

  auto* check = cli.add_subcommand(
      "healthcheck", "GET a path of the local server (HOST, PORT); exit 0 on 200, else 1");
  check->add_option("--path", o.check_path, "Path to ask (default /health/ready)");
  check->add_option("--timeout", o.check_timeout, "Seconds (default 5)")->check(CLI::Range(1, 300));

  try {
    auto args = kid_after_double_dash(argc, argv);
    std::vector<char*> parsed;
    for (auto& a : args) parsed.push_back(a.data());
    cli.parse(static_cast<int>(parsed.size()), parsed.data());
  } catch (const CLI::Success& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(std::string(e.what()) + " (see gatehouse --help)");
  }
  if (cli.get_subcommands().empty()) return fail("a command is required (see gatehouse --help)");

  try {
    if (openapi->parsed())
      return gh::App::print_openapi(
          gh::config::admin_console_setting(gh::config::read_environment(".env")));
    if (check->parsed()) {
      // Settings only: no database is opened.
      auto settings = load(o);
      return gh::cli::healthcheck(settings.host, settings.port, o.check_path,
                                  std::chrono::seconds(o.check_timeout));
    }
    gh::App app(load(o));
    if (serve->parsed()) return app.serve();
    if (up->parsed()) return app.migrate_up();
    if (down->parsed()) return app.migrate_down(o.down_steps);
    if (status->parsed()) return app.migrate_status();
    if (admin->parsed()) return create_admin(app, o);
    if (keys->parsed()) {
      o.keys.action = keys->get_subcommands().front()->get_name();
      return app.keys(o.keys);
    }
  } catch (const gh::ApiError& e) {
    // A refused key change (KEY_NOT_PROPAGATED, ACTIVE_KEY...): said as the API says it.
    std::fprintf(stderr, "gatehouse: %s: %s\n", std::string(e.code()).c_str(), e.detail().c_str());
    return 1;
  } catch (const gh::config::ConfigError& e) {
    return fail(e.what());
  } catch (const gh::db::DbError& e) {
    return fail(std::string("database: ") + e.what());
  } catch (const std::system_error& e) {
    return fail(e.what());
  } catch (const boost::system::system_error& e) {
    // Listening failed (the port is taken, the address is not this machine's): not a bad
    // setting as such, so exit 1, but one plain line rather than "fatal".
    std::fprintf(stderr, "gatehouse: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatehouse: fatal: %s\n", e.what());
    return 1;
  }
  return 2;
}
