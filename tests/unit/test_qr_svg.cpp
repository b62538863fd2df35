// The enrolment's QR code as SVG: the modules libqrencode chose, each drawn once, inside a
// quiet zone, with the three finder patterns where a scanner looks for them, and nothing a
// page would have to trust (no script, no link).
#include "services/qr_svg.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <utility>

namespace gh::services {
namespace {

const std::string kUri =
    "otpauth://totp/gatehouse:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=gatehouse";

std::set<std::pair<int, int>> dark_modules(const std::string& svg) {
  std::set<std::pair<int, int>> out;
  const std::regex square("M(\\d+) (\\d+)h1v1h-1z");
  for (std::sregex_iterator it(svg.begin(), svg.end(), square), end; it != end; ++it)
    out.insert({std::stoi((*it)[1]), std::stoi((*it)[2])});
  return out;
}

TEST(QrSvg, FinderPatternsSitInThreeCornersInsideAQuietZone) {
  const std::string svg = qr_svg(kUri);
  std::smatch box;
  ASSERT_TRUE(std::regex_search(svg, box, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
  const int size = std::stoi(box[1]);
  const int width = size - 8;
  EXPECT_EQ((width - 17) % 4, 0) << "a QR code of some version is 17 + 4v modules wide";
  const auto dark = dark_modules(svg);
  for (const auto& [x, y] : dark) {
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LT(x, size - 4);
    EXPECT_LT(y, size - 4);
  }
  // A finder pattern: a dark 7x7 ring, a light ring, a dark 3x3 centre.
  for (const auto& [ox, oy] : {std::pair{4, 4}, std::pair{size - 11, 4}, std::pair{4, size - 11}}) {
    for (int i = 0; i < 7; ++i) {
      EXPECT_TRUE(dark.contains({ox + i, oy}));
      EXPECT_TRUE(dark.contains({ox + i, oy + 6}));
      EXPECT_TRUE(dark.contains({ox, oy + i}));
      EXPECT_TRUE(dark.contains({ox + 6, oy + i}));
    }
    EXPECT_FALSE(dark.contains({ox + 1, oy + 1}));
    EXPECT_TRUE(dark.contains({ox + 3, oy + 3}));
  }
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("href"), std::string::npos);
}

TEST(QrSvg, TheSameTextDrawsTheSameCodeAndAnotherAnother) {
  EXPECT_EQ(qr_svg(kUri), qr_svg(kUri));
  EXPECT_NE(dark_modules(qr_svg(kUri)), dark_modules(qr_svg(kUri + "&digits=6")));
}

TEST(QrSvg, TextTooLongForAnyQrCodeIsRefused) {
  EXPECT_THROW(qr_svg(std::string(8000, 'x')), std::runtime_error);
}

}  // namespace
}  // namespace gh::services
