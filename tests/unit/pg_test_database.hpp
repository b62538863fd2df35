#pragma once
// Test helper: a fresh, empty database in the throw-away PostgreSQL cluster whose state
// file $GATEHOUSE_TEST_PG_STATE names (scripts/pg-test-cluster writes it; CTest sets the
// variable for the tests that require the pg_cluster fixture). Without it the test fails:
// a PostgreSQL test that did not reach PostgreSQL has not passed.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

namespace gh::test {

class PgTestDatabase {
 public:
  PgTestDatabase() {
    const std::map<std::string, std::string> state = read_state();
    base_ = "postgresql://" + state.at("GATEHOUSE_TEST_PG_USER") + ":" +
            state.at("GATEHOUSE_TEST_PG_PASSWORD") + "@" + state.at("GATEHOUSE_TEST_PG_HOST") +
            ":" + state.at("GATEHOUSE_TEST_PG_PORT") + "/";
    name_ = "gh_unit_" + std::to_string(std::random_device{}()) +
            std::to_string(std::random_device{}());
    admin("CREATE DATABASE " + name_);
  }
  ~PgTestDatabase() {
    try {
      admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // The cluster is thrown away after the run anyway.
    }
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  std::string url() const { return base_ + name_; }

  // Runs SQL in this database over a plain blocking connection (test set-up only).
  void run(const std::string& sql) const { exec(url(), sql); }

 private:
  static std::map<std::string, std::string> read_state() {
    const char* path = std::getenv("GATEHOUSE_TEST_PG_STATE");
    if (path == nullptr) {
      throw std::runtime_error(
          "GATEHOUSE_TEST_PG_STATE is not set: run the PostgreSQL tests through CTest, "
          "which starts the test cluster, or start one with scripts/pg-test-cluster");
    }
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string{"cannot read "} + path);
    std::map<std::string, std::string> state;
    for (std::string line; std::getline(in, line);) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) state[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return state;
  }

  void admin(const std::string& sql) const { exec(base_ + "postgres", sql); }

  static void exec(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
    } else {
      PGresult* result = PQexec(conn, sql.c_str());
      if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK)
        error = PQresultErrorMessage(result);
      PQclear(result);
    }
    PQfinish(conn);
    if (!error.empty()) throw std::runtime_error(sql + ": " + error);
  }

  std::string base_;
  std::string name_;
};

}  // namespace gh::test
