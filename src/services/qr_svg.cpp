#include "services/qr_svg.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace gh::services {
namespace {

constexpr int kQuietZone = 4;  // modules of white around the code (ISO/IEC 18004)

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::string qr_svg(std::string_view text) {
  const std::string input(text);
  // Level M: readable with a seventh of the code lost (a glare on a screen), still small.
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M));
  if (!code) throw std::runtime_error("the text does not fit in a QR code");
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) + "\" width=\"" +
                    std::to_string(size * 6) + "\" height=\"" + std::to_string(size * 6) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < width; ++y)
    for (int x = 0; x < width; ++x)
      if (code->data[y * width + x] & 1)  // bit 0: a dark module
        out += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) +
               "h1v1h-1z";
  out += "\"/></svg>";
  return out;
}

}  // namespace gh::services
