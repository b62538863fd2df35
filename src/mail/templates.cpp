#include "mail/templates.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gh::mail {
namespace {

constexpr std::array<std::string_view, 3> kPlaceholders{"{link}", "{email}", "{valid_for}"};

// Plain and unstyled on purpose: it renders the same in every client, and a person reads it.
std::string html_page(std::string_view heading, std::string_view body, std::string_view button) {
  return std::string(
             "<!doctype html>\n<html><body style=\"font-family: sans-serif; line-height: 1.5\">\n"
             "<h2>") +
         std::string(heading) + "</h2>\n<p>" + std::string(body) +
         "</p>\n<p><a href=\"{link}\" style=\"display: inline-block; padding: 10px 18px; "
         "background: #2563eb; color: #ffffff; text-decoration: none; border-radius: 4px\">" +
         std::string(button) +
         "</a></p>\n<p style=\"color: #555555; font-size: 90%\">Or open this link: {link}</p>\n"
         "<p style=\"color: #555555; font-size: 90%\">If you did not ask for this, ignore this "
         "mail.</p>\n</body></html>\n";
}

std::map<std::string, Template, std::less<>> defaults() {
  return {
      {"password_reset",
       {"Reset your password",
        "Someone asked to reset the password of {email}.\n\nTo choose a new password, open this "
        "link within {valid_for}:\n\n{link}\n\nIf you did not ask for this, ignore this mail: "
        "your password stays as it is.\n",
        html_page("Reset your password",
                  "Someone asked to reset the password of {email}. The link is valid for "
                  "{valid_for}.",
                  "Choose a new password")}},
      {"email_verification",
       {"Confirm your email address",
        "Confirm that {email} is your address by opening this link within {valid_for}:\n\n"
        "{link}\n",
        html_page("Confirm your email address",
                  "Confirm that {email} is your address. The link is valid for {valid_for}.",
                  "Confirm my address")}},
      {"invitation",
       {"You are invited",
        "You have been invited to an account for {email}.\n\nTo accept and choose a password, "
        "open this link within {valid_for}:\n\n{link}\n",
        html_page("You are invited",
                  "You have been invited to an account for {email}. The link is valid for "
                  "{valid_for}.",
                  "Accept the invitation")}},
  };
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read mail template " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A brace pair naming something that is not a placeholder is a typo that would be mailed
// as it stands: refused at start.
void check_placeholders(const std::string& text, const std::string& file) {
  for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const auto close = text.find('}', open);
    if (close == std::string::npos) return;
    const std::string_view name(text.data() + open, close - open + 1);
    bool known = false;
    for (auto p : kPlaceholders) known = known || p == name;
    if (!known && name.find_first_of(" \n;:") == std::string_view::npos)
      throw std::runtime_error("mail template " + file + " uses an unknown placeholder " +
                               std::string(name));
  }
}

std::string fill(std::string text, const std::map<std::string, std::string>& values, bool html) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    const std::string with = html ? html_escape(value) : value;
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + with.size()))
      text.replace(at, key.size(), with);
  }
  return text;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Templates::Templates(const std::string& dir) : by_kind_(defaults()) {
  if (dir.empty()) return;
  for (auto& [kind, t] : by_kind_) {
    const std::filesystem::path base = std::filesystem::path(dir) / kind;
    for (auto [ext, field] : {std::pair{".subject", &t.subject}, std::pair{".txt", &t.text},
                              std::pair{".html", &t.html}}) {
      const auto file = base.string() + ext;
      if (auto text = read_file(file)) {
        check_placeholders(*text, file);
        *field = std::move(*text);
      }
    }
    while (!t.subject.empty() && (t.subject.back() == '\n' || t.subject.back() == '\r'))
      t.subject.pop_back();
  }
}

Mail Templates::render(std::string_view kind, const std::string& to,
                       const std::map<std::string, std::string>& values) const {
  const auto it = by_kind_.find(kind);
  if (it == by_kind_.end()) throw std::invalid_argument("no mail template for this kind");
  return Mail{.to = to,
              .subject = fill(it->second.subject, values, false),
              .text = fill(it->second.text, values, false),
              .html = fill(it->second.html, values, true)};
}

}  // namespace gh::mail
