// RequestMetrics: per-thread shards add up; endpoints, statuses and buckets land where
// they should; PrometheusText escapes label values and prints numbers exactly.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/prometheus_text.hpp"
#include "core/request_metrics.hpp"

namespace {

using gh::PrometheusText;
using gh::RequestMetrics;

const RequestMetrics::Series* find(const std::vector<RequestMetrics::Series>& all,
                                   std::string_view route, std::string_view method,
                                   std::string_view status) {
  for (const auto& s : all)
    if (s.endpoint->route == route && s.endpoint->method == method && s.status == status) return &s;
  return nullptr;
}

TEST(RequestMetrics, ShardsFromManyThreadsAddUp) {
  RequestMetrics m;
  m.set_routes({{"GET", "/health"}, {"POST", "/auth/login"}});
  constexpr int kThreads = 4, kEach = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < kEach; ++i) {
        m.started();
        m.finished(0, 200, 300);  // 0.3 ms
      }
    });
  }
  for (auto& t : threads) t.join();
  auto all = m.snapshot();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].count, kThreads * kEach);
  EXPECT_EQ(all[0].sum_micros, 300u * kThreads * kEach);
  EXPECT_EQ(all[0].buckets[0], kThreads * kEach);  // le 0.0005
  EXPECT_EQ(m.in_flight(), 0);
}

TEST(RequestMetrics, SeparatesEndpointsStatusesAndBuckets) {
  RequestMetrics m;
  m.set_routes({{"GET", "/health"}, {"POST", "/auth/login"}});
  m.started();
  EXPECT_EQ(m.in_flight(), 1);
  m.finished(1, 401, 30'000);  // 30 ms: the 0.05 bucket
  m.started();
  m.finished(1, 200, 3'000'000);  // 3 s: +Inf
  m.started();
  m.finished(m.unmatched("DELETE"), 404, 10);
  m.started();
  m.finished(0, 418, 10);  // not a status gatehouse answers: "other"
  auto all = m.snapshot();
  ASSERT_EQ(all.size(), 4u);
  const auto* failed = find(all, "/auth/login", "POST", "401");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->buckets[6], 1u);  // 0.025 < 0.03 <= 0.05
  const auto* slow = find(all, "/auth/login", "POST", "200");
  ASSERT_NE(slow, nullptr);
  EXPECT_EQ(slow->buckets.back(), 1u);
  EXPECT_NE(find(all, "unmatched", "DELETE", "404"), nullptr);
  EXPECT_NE(find(all, "/health", "GET", "other"), nullptr);
  EXPECT_EQ(m.in_flight(), 0);
}

TEST(RequestMetrics, UnknownMethodsAndEndpointsAreSafe) {
  RequestMetrics m;
  m.set_routes({{"GET", "/health"}});
  EXPECT_EQ(m.unmatched("BREW"), m.unmatched("OTHER"));
  m.started();
  m.finished(12345, 200, 1);  // out of range: ignored, in-flight still balanced
  EXPECT_TRUE(m.snapshot().empty());
  EXPECT_EQ(m.in_flight(), 0);
}

TEST(RequestMetrics, TwoInstancesOnOneThreadKeepTheirOwnCounts) {
  RequestMetrics a, b;
  a.set_routes({{"GET", "/a"}});
  b.set_routes({{"GET", "/b"}});
  for (int i = 0; i < 10; ++i) {
    a.started();
    a.finished(0, 200, 1);
    b.started();
    b.finished(0, 204, 1);
  }
  ASSERT_EQ(a.snapshot().size(), 1u);
  EXPECT_EQ(a.snapshot()[0].count, 10u);
  EXPECT_EQ(a.snapshot()[0].status, "200");
  ASSERT_EQ(b.snapshot().size(), 1u);
  EXPECT_EQ(b.snapshot()[0].count, 10u);
  EXPECT_EQ(b.snapshot()[0].status, "204");
}

TEST(PrometheusText, WritesFamiliesSamplesAndEscapes) {
  PrometheusText out;
  out.family("x_total", "counter", "Things");
  out.sample("x_total", {{"route", "/a\"b\\c\nd"}}, 3);
  out.sample("x_total", {}, 0.25);
  out.sample("x_total", {{"le", "+Inf"}}, 1e20);
  EXPECT_EQ(out.take(),
            "# HELP x_total Things\n"
            "# TYPE x_total counter\n"
            "x_total{route=\"/a\\\"b\\\\c\\nd\"} 3\n"
            "x_total 0.25\n"
            "x_total{le=\"+Inf\"} 1e+20\n");
}

}  // namespace
