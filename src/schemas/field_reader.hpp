#pragma once
// Reads a JSON object field by field, collecting every problem before failing once with
// a 422 that lists them all (as FastAPI does), each with its `loc`.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_error.hpp"

namespace gh::schemas {

class FieldReader {
 public:
  explicit FieldReader(const boost::json::value& body);

  std::optional<std::string> string(std::string_view name, bool required = true);
  std::optional<bool> boolean(std::string_view name, bool required = true);
  void fail(std::string_view name, std::string msg);
  bool has_errors() const { return !errors_.empty(); }
  // Throws the 422 when any field was wrong.
  void finish() const;

 private:
  const boost::json::value* find(std::string_view name, bool required);

  const boost::json::object* object_ = nullptr;
  std::vector<FieldError> errors_;
};

// A 422 about one parameter, e.g. loc {"query", "limit"}.
ApiError validation_error(std::vector<std::string> loc, std::string msg);

}  // namespace gh::schemas
