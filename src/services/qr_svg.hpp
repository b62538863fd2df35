#pragma once
// A QR code as an SVG document, for an enrolment's otpauth URI (an authenticator app scans
// it from the screen). Drawn from libqrencode's modules: one path of unit squares, a quiet
// zone of four modules, no script, no external reference, so a page can inline it.
#include <string>
#include <string_view>

namespace gh::services {

// Throws std::runtime_error when libqrencode cannot encode `text` (too long for a QR code).
std::string qr_svg(std::string_view text);

}  // namespace gh::services
