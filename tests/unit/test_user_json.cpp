// user_json() and users_json() must write exactly what serializing encode_user() writes.
#include "schemas/user_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "schemas/user.hpp"

namespace gh::schemas {
namespace {

models::User user(std::string email, models::Role role, bool active) {
  models::User u;
  u.id = "01936d8e-6f2a-7c3b-9d4e-5f6a7b8c9d0e";
  u.email = std::move(email);
  u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
  u.role = role;
  u.is_active = active;
  u.created_at = 1'795'616'400'123'456;
  u.updated_at = -1;
  return u;
}

TEST(UserJson, MatchesTheEncodedValue) {
  for (const auto& u :
       {user("a@example.com", models::Role::user, true),
        user("b@example.com", models::Role::admin, false), user("", models::Role::user, true)}) {
    EXPECT_EQ(user_json(u), boost::json::serialize(encode_user(u)));
  }
}

TEST(UserJson, NeverCarriesThePasswordHash) {
  EXPECT_EQ(user_json(user("a@example.com", models::Role::user, true)).find("argon2"),
            std::string::npos);
}

TEST(UserJson, EscapesEveryByteAsBoostJsonDoes) {
  std::string every;
  for (int b = 1; b < 256; ++b) every.push_back(static_cast<char>(b));
  every.push_back('\0');
  std::string ours;
  append_json_string(ours, every);
  EXPECT_EQ(ours, boost::json::serialize(boost::json::string(every)));
  auto u = user(every, models::Role::admin, true);
  EXPECT_EQ(user_json(u), boost::json::serialize(encode_user(u)));
}

// Escapes found in the first, middle and last of 16-byte blocks and in the tail after them.
TEST(UserJson, EscapesAtEveryOffsetAsBoostJsonDoes) {
  for (char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
    for (std::size_t length = 1; length <= 40; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        text[length - 1 - at] = special;
        std::string ours;
        append_json_string(ours, text);
        ASSERT_EQ(ours, boost::json::serialize(boost::json::string(text)))
            << "length " << length << " at " << at;
      }
    }
  }
  std::string plain(100, 'x');
  plain += "\x7f\x80\xff\x20";  // no escape: DEL, high bytes and space pass as they are
  std::string ours;
  append_json_string(ours, plain);
  EXPECT_EQ(ours, '"' + plain + '"');
}

TEST(UserJson, ListsMatchTheEncodedArray) {
  std::vector<models::User> users;
  EXPECT_EQ(users_json(users), "[]");
  for (int i = 0; i < 3; ++i) {
    users.push_back(user("u" + std::to_string(i) + "@example.com", models::Role::user, i % 2 == 0));
    EXPECT_EQ(users_json(users), boost::json::serialize(encode_users(users)));
  }
}

}  // namespace
}  // namespace gh::schemas
