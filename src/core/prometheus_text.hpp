#pragma once
// Writes the Prometheus text exposition format (version 0.0.4): # HELP and # TYPE once per
// family, then its samples, with label values escaped.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gh {

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // type: counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace gh
