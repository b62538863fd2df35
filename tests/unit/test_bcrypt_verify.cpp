#include "services/crypto/bcrypt_verify.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gh::crypto {
namespace {

using namespace std::string_literals;

// Written by passlib 1.7.4 (`passlib.hash.bcrypt`, as the reference app uses it).
const std::string kPasslibCost12 = "$2b$12$p2T/k9crvau03LbMjs4FlO6fisJGrpWlaLT54JRPchSfFxQOF9qse";
const std::string kPasslibCost12Password = "correct horse battery staple";
const std::string kPasslibCost4 = "$2b$04$NFumU2tb5nAignSWWoeZC.CuZk6facGsBfjBuAfvAVchbHvuCONV.";
const std::string kPasslibCost4Password = "Str0ngP@ss!";

TEST(BcryptVerify, AcceptsPasslibHashes) {
  EXPECT_TRUE(bcrypt_verify(kPasslibCost12, kPasslibCost12Password));
  EXPECT_TRUE(bcrypt_verify(kPasslibCost4, kPasslibCost4Password));
}

TEST(BcryptVerify, RefusesWrongPasswords) {
  EXPECT_FALSE(bcrypt_verify(kPasslibCost4, "Str0ngP@ss"));
  EXPECT_FALSE(bcrypt_verify(kPasslibCost4, "Str0ngP@ss!!"));
  EXPECT_FALSE(bcrypt_verify(kPasslibCost4, ""));
}

TEST(BcryptVerify, RefusesPasswordsWithNulBytes) {
  // crypt_r reads C strings: without the check this would verify as "Str0ngP@ss!".
  EXPECT_FALSE(bcrypt_verify(kPasslibCost4, "Str0ngP@ss!\0tail"s));
}

TEST(BcryptVerify, AcceptsTheOtherBcryptPrefixes) {
  // $2a$ and $2y$ hash the same for ASCII passwords; only the prefix differs.
  std::string a = kPasslibCost4, y = kPasslibCost4;
  a[2] = 'a';
  y[2] = 'y';
  EXPECT_TRUE(bcrypt_verify(a, kPasslibCost4Password));
  EXPECT_TRUE(bcrypt_verify(y, kPasslibCost4Password));
}

TEST(BcryptVerify, RecognisesOnlyWellFormedHashes) {
  EXPECT_TRUE(is_bcrypt_hash(kPasslibCost12));
  EXPECT_FALSE(is_bcrypt_hash(kPasslibCost12.substr(0, 59)));
  EXPECT_FALSE(is_bcrypt_hash(kPasslibCost12 + "x"));
  EXPECT_FALSE(is_bcrypt_hash("$2x$04$NFumU2tb5nAignSWWoeZC.CuZk6facGsBfjBuAfvAVchbHvuCONV."));
  EXPECT_FALSE(is_bcrypt_hash("$2b$4a$NFumU2tb5nAignSWWoeZC.CuZk6facGsBfjBuAfvAVchbHvuCONV."));
  EXPECT_FALSE(is_bcrypt_hash("$2b$04$NFumU2tb5nAignSWWoeZC.CuZk6facGsBfjBuAfvAVchbHvuCONV!"));
  EXPECT_FALSE(is_bcrypt_hash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
  EXPECT_FALSE(bcrypt_verify("$2b$04$NFumU2tb5nAignSWWoeZC.CuZk6facGsBfjBuAfvAVchbHvuCONV!",
                             kPasslibCost4Password));
}

}  // namespace
}  // namespace gh::crypto
