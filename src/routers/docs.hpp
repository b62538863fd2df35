#pragma once
#include <string>
#include <vector>

#include "http/route.hpp"

namespace gh::routers {

// The document /openapi.json serves. It describes the docs routes too, so it is published
// once the whole table is known, before the server starts, and never changes after.
class PublishedDocument {
 public:
  void publish(std::string json);  // also computes its ETag
  const std::string& json() const { return json_; }
  const std::string& etag() const { return etag_; }

 private:
  std::string json_;
  std::string etag_;
};

// GET /openapi.json (`document` must outlive the routes), /docs (Swagger UI), /redoc
// (ReDoc) and /docs/assets/{file} (their scripts and styles, embedded at build time).
std::vector<http::Route> docs_routes(const PublishedDocument& document);

}  // namespace gh::routers
