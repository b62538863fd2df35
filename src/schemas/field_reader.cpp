#include "schemas/field_reader.hpp"

namespace gh::schemas {

FieldReader::FieldReader(const boost::json::value& body) {
  object_ = body.if_object();
  if (!object_) errors_.push_back({{"body"}, "Expected a JSON object"});
}

const boost::json::value* FieldReader::find(std::string_view name, bool required) {
  if (!object_) return nullptr;
  auto it = object_->find(name);
  if (it == object_->end()) {
    if (required) fail(name, "Field required");
    return nullptr;
  }
  // Every optional field maps to a NOT NULL column: null is an error, not "leave as is".
  if (it->value().is_null() && !required) {
    fail(name, "Must not be null");
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> FieldReader::string(std::string_view name, bool required) {
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(name, "Expected a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<bool> FieldReader::boolean(std::string_view name, bool required) {
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(name, "Expected a boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

void FieldReader::fail(std::string_view name, std::string msg) {
  errors_.push_back({{"body", std::string(name)}, std::move(msg)});
}

void FieldReader::finish() const {
  if (errors_.empty()) return;
  throw ApiError(ErrorCode::validation_error, {}, errors_);
}

ApiError validation_error(std::vector<std::string> loc, std::string msg) {
  return ApiError(ErrorCode::validation_error, {}, {FieldError{std::move(loc), std::move(msg)}});
}

}  // namespace gh::schemas
