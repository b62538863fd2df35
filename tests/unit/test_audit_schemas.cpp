// The audit log's query strings and its page body (API.md part two, "Audit log").
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "core/api_error.hpp"
#include "core/base64url.hpp"
#include "schemas/audit.hpp"
#include "schemas/user_query.hpp"

namespace gh::schemas {
namespace {

using models::AuditType;

constexpr std::string_view kId = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f";

// The loc and message of the 422 decoding `raw` raises; empty when it passed.
std::pair<std::string, std::string> failure(const AuditListParams& raw) {
  try {
    decode_audit_query(raw);
    return {};
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.code(), "VALIDATION_ERROR");
    if (e.fields().size() != 1) return {"?", "?"};
    const auto& f = e.fields()[0];
    std::string loc;
    for (const auto& part : f.loc) loc += (loc.empty() ? "" : ".") + part;
    return {loc, f.msg};
  }
}

std::string loc_of(const AuditListParams& raw) {
  return failure(raw).first;
}

TEST(AuditQuerySchema, NothingGivenIsEveryEventFiftyAtATime) {
  const auto q = decode_audit_query({});
  EXPECT_TRUE(q.types.empty());
  EXPECT_FALSE(q.outcome || q.user_id || q.actor_id || q.subject_user_id || q.ip || q.since ||
               q.until || q.after);
  EXPECT_EQ(q.limit, 50);
}

TEST(AuditQuerySchema, DecodesEveryFilter) {
  const auto q = decode_audit_query({.type = "auth.login,user.updated",
                                     .outcome = "failure",
                                     .user_id = std::string(kId),
                                     .actor_id = "01936F3E-7C1A-7B8E-9A4F-2D5C6B7A8E9F",
                                     .ip = "2001:DB8::1",
                                     .since = "2026-01-02T03:04:05Z",
                                     .until = "2026-01-02T05:04:05.5+02:00",
                                     .limit = "100"});
  EXPECT_EQ(q.types, (std::vector<AuditType>{AuditType::auth_login, AuditType::user_updated}));
  EXPECT_EQ(q.outcome, models::AuditOutcome::failure);
  EXPECT_EQ(q.user_id, std::string(kId));
  EXPECT_EQ(q.actor_id, std::string(kId)) << "ids are canonical";
  EXPECT_EQ(q.ip, "2001:db8::1") << "addresses are canonical";
  EXPECT_EQ(q.since, 1'767'323'045'000'000);
  EXPECT_EQ(q.until, 1'767'323'045'500'000);
  EXPECT_EQ(q.limit, 100);
  EXPECT_FALSE(q.subject_user_id) << "the subject is the caller's, never the query string's";
}

TEST(AuditQuerySchema, AnUnknownTypeIsNamed) {
  EXPECT_EQ(failure({.type = "auth.login,auth.logn"}),
            (std::pair<std::string, std::string>{"query.type", "Unknown event type 'auth.logn'"}));
  EXPECT_EQ(loc_of({.type = ""}), "query.type");
  EXPECT_EQ(loc_of({.type = "auth.login,"}), "query.type");
  EXPECT_EQ(loc_of({.type = "auth.login, user.updated"}), "query.type");
}

TEST(AuditQuerySchema, RefusesOutcomesIdsAndAddressesThatAreNot) {
  EXPECT_EQ(loc_of({.outcome = "ok"}), "query.outcome");
  EXPECT_EQ(loc_of({.user_id = "ann"}), "query.user_id");
  EXPECT_EQ(loc_of({.actor_id = "1 OR 1=1"}), "query.actor_id");
  EXPECT_EQ(loc_of({.ip = "192.0.2.300"}), "query.ip");
  EXPECT_EQ(loc_of({.ip = ""}), "query.ip");
  // An IPv4-mapped address is the IPv4 address the rate limiter records.
  EXPECT_EQ(decode_audit_query({.ip = "::ffff:192.0.2.1"}).ip, "192.0.2.1");
}

TEST(AuditQuerySchema, TimesAreRfc3339) {
  for (const char* bad :
       {"2026-01-02", "2026-01-02 03:04:05Z", "2026-01-02T03:04:05", "2026-02-30T00:00:00Z",
        "2026-01-02T24:00:00Z", "yesterday", "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05+2:00",
        "0000-01-01T00:00:00Z"}) {
    EXPECT_EQ(loc_of({.since = bad}), "query.since") << bad;
    EXPECT_EQ(loc_of({.until = bad}), "query.until") << bad;
  }
  // Before year 1 once the offset is applied: no position can hold it.
  EXPECT_EQ(loc_of({.since = "0001-01-01T00:30:00+01:00"}), "query.since");
  // A "+" sent unescaped arrives as a space.
  EXPECT_EQ(decode_audit_query({.since = "2026-01-02T05:04:05 02:00"}).since,
            1'767'323'045'000'000);
}

TEST(AuditQuerySchema, LimitIsFrom1To100) {
  EXPECT_EQ(loc_of({.limit = "0"}), "query.limit");
  EXPECT_EQ(loc_of({.limit = "101"}), "query.limit");
  EXPECT_EQ(loc_of({.limit = "ten"}), "query.limit");
  EXPECT_EQ(decode_audit_query({.limit = "1"}).limit, 1);
  EXPECT_EQ(decode_own_audit_query({.limit = "100"}).limit, 100);
  EXPECT_THROW(decode_own_audit_query({.limit = "101"}), ApiError);
}

TEST(AuditQuerySchema, ACursorComesBackAsItsPosition) {
  const models::AuditPosition at{1'767'323'045'123'456, std::string(kId)};
  const auto q = decode_audit_query({.cursor = encode_audit_cursor(at)});
  ASSERT_TRUE(q.after);
  EXPECT_EQ(q.after->occurred_at, at.occurred_at);
  EXPECT_EQ(q.after->id, at.id);
  const auto own = decode_own_audit_query({.cursor = encode_audit_cursor(at)});
  ASSERT_TRUE(own.after);
  EXPECT_EQ(own.after->id, at.id);
}

TEST(AuditQuerySchema, AForeignOrMalformedCursorIs422) {
  const std::string users_cursor = encode_cursor(models::UserPosition{1, std::string(kId)});
  EXPECT_EQ(loc_of({.cursor = users_cursor}), "query.cursor");
  EXPECT_THROW(decode_own_audit_query({.cursor = users_cursor}), ApiError);
  for (const std::string& bad :
       {std::string("not a cursor"), std::string(""), base64url_encode("audit.1.12"),
        base64url_encode("audit.1.x." + std::string(kId)), base64url_encode("audit.1.5.ann"),
        base64url_encode("audit.2.5." + std::string(kId)),
        base64url_encode("audit.1.99999999999999999999." + std::string(kId))}) {
    EXPECT_EQ(loc_of({.cursor = bad}), "query.cursor") << bad;
  }
  // And an audit cursor is not a users cursor.
  const auto audit_cursor = encode_audit_cursor({5, std::string(kId)});
  EXPECT_THROW(decode_user_query({.cursor = audit_cursor}), ApiError);
}

TEST(AuditPageJson, EveryFieldWithNullsForEmptyOnesAndDetailsAsAnObject) {
  models::AuditEvent e;
  e.id = std::string(kId);
  e.occurred_at = 1'767'323'045'123'456;
  e.type = AuditType::session_ended;
  e.outcome = models::AuditOutcome::success;
  e.subject_user_id = std::string(kId);
  e.ip = "192.0.2.1";
  e.reason = "logout";
  e.details = R"({"sessions":2})";
  const auto body = boost::json::parse(
      audit_page_json({.events = {e}, .next = models::AuditPosition{e.occurred_at, e.id}}));
  const auto& item = body.at("items").at(0).as_object();
  EXPECT_EQ(item.size(), 12u);
  EXPECT_EQ(item.at("id").as_string(), kId);
  EXPECT_EQ(item.at("occurred_at").as_string(), "2026-01-02T03:04:05.123456Z");
  EXPECT_EQ(item.at("type").as_string(), "session.ended");
  EXPECT_EQ(item.at("outcome").as_string(), "success");
  EXPECT_TRUE(item.at("actor_id").is_null());
  EXPECT_EQ(item.at("subject_user_id").as_string(), kId);
  EXPECT_TRUE(item.at("session_id").is_null());
  EXPECT_EQ(item.at("ip").as_string(), "192.0.2.1");
  EXPECT_TRUE(item.at("user_agent").is_null());
  EXPECT_TRUE(item.at("request_id").is_null());
  EXPECT_EQ(item.at("reason").as_string(), "logout");
  EXPECT_EQ(item.at("details"), boost::json::parse(R"({"sessions":2})"));
  const auto next = decode_audit_query({.cursor = std::string(body.at("next_cursor").as_string())});
  EXPECT_EQ(next.after->occurred_at, e.occurred_at);

  const auto last = boost::json::parse(audit_page_json({}));
  EXPECT_TRUE(last.at("items").as_array().empty());
  EXPECT_TRUE(last.at("next_cursor").is_null());
}

}  // namespace
}  // namespace gh::schemas
