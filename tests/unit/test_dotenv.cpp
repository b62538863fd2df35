#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "config/settings.hpp"

namespace gh::config {
namespace {

std::string line_error(const std::string& text) {
  try {
    parse_dotenv(text);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), ".env");
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

TEST(Dotenv, KeyValue) {
  const Environment env = parse_dotenv("A=1\nB_2=two\n_C=three");
  EXPECT_EQ(env, (Environment{{"A", "1"}, {"B_2", "two"}, {"_C", "three"}}));
}

TEST(Dotenv, BlankLinesAndComments) {
  const Environment env = parse_dotenv("\n# a comment\n   \n  # indented\nA=1\r\n\r\n");
  EXPECT_EQ(env, (Environment{{"A", "1"}}));
}

TEST(Dotenv, Export) {
  EXPECT_EQ(parse_dotenv("export A=1").at("A"), "1");
  EXPECT_EQ(parse_dotenv("export   A = 1").at("A"), "1");
  EXPECT_EQ(parse_dotenv("export=1").at("export"), "1");
}

TEST(Dotenv, UnquotedTrimmedAndCommentStripped) {
  const Environment env = parse_dotenv("A =  spaced value   # note\nB=a#b\nC= #only\nD=");
  EXPECT_EQ(env.at("A"), "spaced value");
  EXPECT_EQ(env.at("B"), "a#b");
  EXPECT_EQ(env.at("C"), "");
  EXPECT_EQ(env.at("D"), "");
}

TEST(Dotenv, SingleQuotesAreLiteral) {
  const Environment env = parse_dotenv(R"(A='  x \n "y" # z '  # note)");
  EXPECT_EQ(env.at("A"), R"(  x \n "y" # z )");
}

TEST(Dotenv, DoubleQuotesUnderstandEscapes) {
  const Environment env = parse_dotenv(R"(A="line1\nline2 \"q\" back\\slash \d # kept" # note)");
  EXPECT_EQ(env.at("A"), "line1\nline2 \"q\" back\\slash \\d # kept");
}

TEST(Dotenv, JsonListValue) {
  const Environment env = parse_dotenv(R"(ALLOWED_ORIGINS=["https://example.com"])");
  EXPECT_EQ(env.at("ALLOWED_ORIGINS"), R"(["https://example.com"])");
}

TEST(Dotenv, EqualsInValue) {
  EXPECT_EQ(parse_dotenv("URL=postgresql://u:p@h/d?a=b").at("URL"), "postgresql://u:p@h/d?a=b");
}

TEST(Dotenv, LastDefinitionWins) {
  EXPECT_EQ(parse_dotenv("A=1\nA=2").at("A"), "2");
}

TEST(Dotenv, MalformedLinesNameTheLine) {
  EXPECT_NE(line_error("A=1\nnot a setting").find("line 2"), std::string::npos);
  EXPECT_NE(line_error("1A=x").find("line 1"), std::string::npos);
  EXPECT_NE(line_error("A-B=x").find("line 1"), std::string::npos);
  EXPECT_NE(line_error("MY KEY=x").find("line 1"), std::string::npos);
  EXPECT_NE(line_error("=x").find("line 1"), std::string::npos);
  EXPECT_NE(line_error("\n\nA='open").find("line 3: unterminated single quote"), std::string::npos);
  EXPECT_NE(line_error("A=\"open").find("unterminated double quote"), std::string::npos);
  EXPECT_NE(line_error("A=\"x\" y").find("line 1"), std::string::npos);
}

TEST(Dotenv, ErrorsDoNotRepeatValues) {
  EXPECT_EQ(line_error("SECRET_KEY='hunter2").find("hunter2"), std::string::npos);
  EXPECT_EQ(line_error("SECRET_KEY=\"hunter2\" tail").find("hunter2"), std::string::npos);
}

class ReadEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "gh-dotenv-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    ::unsetenv("GH_TEST_FROM_PROCESS");
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& text) {
    const auto path = dir_ / ".env";
    std::ofstream(path) << text;
    return path.string();
  }

  std::filesystem::path dir_;
};

TEST_F(ReadEnvironment, ProcessWinsOverFile) {
  ::setenv("GH_TEST_FROM_PROCESS", "process", 1);
  const Environment env =
      read_environment(write("GH_TEST_FROM_PROCESS=file\nGH_TEST_ONLY_FILE=file\n"));
  EXPECT_EQ(env.at("GH_TEST_FROM_PROCESS"), "process");
  EXPECT_EQ(env.at("GH_TEST_ONLY_FILE"), "file");
}

TEST_F(ReadEnvironment, MissingFileIsFine) {
  ::setenv("GH_TEST_FROM_PROCESS", "process", 1);
  const Environment env = read_environment((dir_ / "absent.env").string());
  EXPECT_EQ(env.at("GH_TEST_FROM_PROCESS"), "process");
}

TEST_F(ReadEnvironment, MalformedFileIsAnError) {
  EXPECT_THROW(read_environment(write("oops\n")), ConfigError);
}

TEST_F(ReadEnvironment, DirectoryIsAnError) {
  EXPECT_THROW(read_environment(dir_.string()), ConfigError);
}

}  // namespace
}  // namespace gh::config
