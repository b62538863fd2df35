// Every request schema: the body as JSON (content type, limits, duplicate keys), then each
// decoder and its validation, plus the query and path parameters. Only ApiError (422/415)
// may come out.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/api_error.hpp"
#include "http/json_body.hpp"
#include "schemas/auth.hpp"
#include "schemas/user.hpp"

namespace {

template <class Decode>
void expect_only_api_errors(Decode decode) {
  try {
    decode();
  } catch (const gh::ApiError& e) {
    if (e.status() != 422 && e.status() != 415) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  gh::http::Request req;
  req.raw.set(gh::http::bhttp::field::content_type, "application/json");
  req.raw.body() = input;
  std::optional<boost::json::value> body;
  expect_only_api_errors([&] { body = gh::http::parse_json_body(req); });
  if (body) {
    expect_only_api_errors([&] { gh::schemas::decode_register(*body); });
    expect_only_api_errors([&] { gh::schemas::decode_login(*body); });
    expect_only_api_errors([&] { gh::schemas::decode_refresh(*body); });
    expect_only_api_errors([&] { gh::schemas::decode_password_change(*body); });
    expect_only_api_errors([&] { gh::schemas::decode_user_patch(*body); });
  }
  const auto cut = input.find('&');
  const std::optional<std::string> skip = input.substr(0, cut);
  const std::optional<std::string> limit =
      cut == std::string::npos ? std::nullopt : std::optional<std::string>(input.substr(cut + 1));
  expect_only_api_errors([&] { gh::schemas::decode_page(skip, limit); });
  expect_only_api_errors([&] { gh::schemas::decode_user_id(input); });
  return 0;
}
