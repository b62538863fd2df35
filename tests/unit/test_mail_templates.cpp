// The mails' words: compiled in, overridable from a folder, values escaped in HTML.
#include "mail/templates.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_path.hpp"

namespace {

using namespace gh::mail;

const std::map<std::string, std::string> kValues{
    {"link", "https://app.example.com/reset-password?token=abc&x=1"},
    {"email", "o'neil+<b>@example.com"},
    {"valid_for", "60 minutes"}};

TEST(MailTemplates, EveryKindHasTextAndHtmlWithTheLink) {
  const Templates t;
  for (const char* kind : {"password_reset", "email_verification", "invitation"}) {
    const auto mail = t.render(kind, "to@example.com", kValues);
    EXPECT_EQ(mail.to, "to@example.com");
    EXPECT_FALSE(mail.subject.empty()) << kind;
    EXPECT_NE(mail.text.find("https://app.example.com/reset-password?token=abc&x=1"),
              std::string::npos)
        << kind;
    EXPECT_NE(mail.html.find("href=\"https://app.example.com/reset-password?token=abc&amp;x=1\""),
              std::string::npos)
        << kind;
    EXPECT_NE(mail.text.find("60 minutes"), std::string::npos) << kind;
  }
  EXPECT_THROW(t.render("newsletter", "to@example.com", kValues), std::invalid_argument);
}

TEST(MailTemplates, ValuesAreEscapedInHtmlOnly) {
  const auto mail = Templates().render("password_reset", "to@example.com", kValues);
  EXPECT_NE(mail.html.find("o&#39;neil+&lt;b&gt;@example.com"), std::string::npos);
  EXPECT_EQ(mail.html.find("<b>@"), std::string::npos);
  EXPECT_NE(mail.text.find("o'neil+<b>@example.com"), std::string::npos);
}

class TemplateDir : public ::testing::Test {
 protected:
  ~TemplateDir() override { std::filesystem::remove_all(dir_.path()); }
  void write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(dir_.path());
    std::ofstream(dir_.path() / name) << text;
  }
  gh::test::TempPath dir_{""};
};

TEST_F(TemplateDir, AFileReplacesItsDefaultAndTheOthersStay) {
  write("password_reset.subject", "Acme: a new password for {email}\n");
  write("password_reset.html", "<p>Hello {email}, <a href=\"{link}\">here</a></p>");
  const auto mail = Templates(dir_.str()).render("password_reset", "to@example.com", kValues);
  EXPECT_EQ(mail.subject, "Acme: a new password for o'neil+<b>@example.com");
  EXPECT_EQ(mail.html,
            "<p>Hello o&#39;neil+&lt;b&gt;@example.com, <a "
            "href=\"https://app.example.com/reset-password?token=abc&amp;x=1\">here</a></p>");
  EXPECT_NE(mail.text.find("To choose a new password"), std::string::npos) << "the default";
}

TEST_F(TemplateDir, AnUnknownPlaceholderIsRefusedAtStart) {
  write("invitation.txt", "Join us: {linkk}\n");
  try {
    Templates t(dir_.str());
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("{linkk}"), std::string::npos) << e.what();
  }
  // CSS braces are not placeholders.
  write("invitation.txt", "fine");
  write("invitation.html", "<style>p { color: red; }</style><a href=\"{link}\">x</a>");
  EXPECT_NO_THROW(Templates t(dir_.str()));
}

}  // namespace
