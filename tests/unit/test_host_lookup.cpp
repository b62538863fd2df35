// PostgreSQL host names looked up off the io thread: which entries need a lookup, and the
// keywords libpq then gets.
#include "db/postgres/host_lookup.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "db/database.hpp"
#include "run_async.hpp"

namespace gh::db::postgres {
namespace {

using db::DbError;
using test::run_async;

std::chrono::steady_clock::time_point in_seconds(int seconds) {
  return std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}

TEST(HostLookup, NamesAreLookedUpWithTheirPorts) {
  const auto hosts = hosts_to_look_up("postgresql://app:secret@db.internal:5433/gatehouse");
  ASSERT_TRUE(hosts);
  ASSERT_EQ(hosts->size(), 1U);
  EXPECT_EQ((*hosts)[0].host, "db.internal");
  EXPECT_EQ((*hosts)[0].port, "5433");
  EXPECT_TRUE((*hosts)[0].lookup);
}

TEST(HostLookup, NothingToLookUpIsLeftToLibpq) {
  EXPECT_FALSE(hosts_to_look_up("postgresql://app@127.0.0.1:5432/gatehouse"));
  EXPECT_FALSE(hosts_to_look_up("postgresql://app@[::1]:5432/gatehouse"));
  EXPECT_FALSE(hosts_to_look_up("postgresql://app@/gatehouse?host=/var/run/postgresql"));
  EXPECT_FALSE(hosts_to_look_up("postgresql:///gatehouse"));  // a socket, or PGHOST
  EXPECT_FALSE(hosts_to_look_up("postgresql://app@db.internal/gatehouse?hostaddr=10.0.0.5"));
  EXPECT_FALSE(hosts_to_look_up("host=a.internal,b.internal port=1,2,3"));  // libpq refuses
  EXPECT_FALSE(hosts_to_look_up("postgresql://app@db.internal/gatehouse?no_such_option=1"));
}

TEST(HostLookup, ListsMixNamesAddressesAndOnePortForAll) {
  const auto mixed = hosts_to_look_up("postgresql://app@a.internal:5433,127.0.0.1:5434/gatehouse");
  ASSERT_TRUE(mixed);
  ASSERT_EQ(mixed->size(), 2U);
  EXPECT_TRUE((*mixed)[0].lookup);
  EXPECT_FALSE((*mixed)[1].lookup);
  EXPECT_EQ((*mixed)[1].port, "5434");

  const auto one_port = hosts_to_look_up("host=a.internal,b.internal port=6432 dbname=x");
  ASSERT_TRUE(one_port);
  ASSERT_EQ(one_port->size(), 2U);
  EXPECT_EQ((*one_port)[0].port, "6432");
  EXPECT_EQ((*one_port)[1].port, "6432");
}

TEST(HostLookup, EachAddressBecomesAnEntryInOrder) {
  const std::vector<HostEntry> hosts{{"a.internal", "5433", true}, {"127.0.0.1", "5434", false}};
  const HostKeywords keywords = host_keywords(hosts, {{"10.0.0.1", "fd00::1"}, {}});
  EXPECT_EQ(keywords.host, "a.internal,a.internal,127.0.0.1");
  EXPECT_EQ(keywords.hostaddr, "10.0.0.1,fd00::1,");  // empty: libpq takes the host as is
  EXPECT_EQ(keywords.port, "5433,5433,5434");
}

TEST(HostLookup, NoPortWrittenLeavesLibpqItsDefault) {
  const HostKeywords keywords = host_keywords({{"a.internal", "", true}}, {{"10.0.0.1"}});
  EXPECT_EQ(keywords.host, "a.internal");
  EXPECT_EQ(keywords.hostaddr, "10.0.0.1");
  EXPECT_EQ(keywords.port, "");  // ignored by libpq: PGPORT, then 5432
}

TEST(HostLookup, LooksUpLocalhost) {
  const auto keywords =
      run_async(look_up_hosts("postgresql://app@localhost:5432/gatehouse", in_seconds(10)));
  ASSERT_TRUE(keywords);
  EXPECT_NE(keywords->hostaddr.find("127.0.0.1"), std::string::npos) << keywords->hostaddr;
  EXPECT_EQ(keywords->host.rfind("localhost", 0), 0U);
}

TEST(HostLookup, AnUnknownNameIsUnavailable) {
  try {
    run_async(look_up_hosts("postgresql://app@no-such-host.invalid/gatehouse", in_seconds(5)));
    FAIL() << "expected DbError";
  } catch (const DbError& error) {
    EXPECT_EQ(error.kind(), DbError::Kind::unavailable);
    EXPECT_NE(std::string(error.what()).find("no-such-host.invalid"), std::string::npos);
  }
}

}  // namespace
}  // namespace gh::db::postgres
