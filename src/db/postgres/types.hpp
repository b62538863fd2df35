#pragma once
// Between gatehouse's Value (NULL, int64, text) and PostgreSQL's native types.
// Times travel as int64 microseconds since the Unix epoch and are stored as timestamptz;
// flags travel as 0/1 and are stored as boolean; ids are uuid. Parameters go as text except
// timestamps (binary: no DateStyle or time zone to depend on); results come in binary.
#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace gh::db::postgres {

// The resultFormat argument of libpq's send functions: every result comes in binary.
constexpr int kBinaryResults = 1;

// libpq's parameter arrays for one statement; owns the encoded bytes.
class EncodedParams {
 public:
  // `types` are the statement's parameter types as the server inferred them.
  EncodedParams(const std::vector<Oid>& types, const std::vector<Value>& params,
                std::string_view statement);
  EncodedParams(const EncodedParams&) = delete;  // values() points into storage_
  EncodedParams& operator=(const EncodedParams&) = delete;

  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// DbError(other) when a statement's result (its Describe, `description`) has a column of a
// type gatehouse does not decode: found when the statement is prepared, before it runs.
void check_columns(const PGresult* description, std::string_view statement);

// Every row of a binary-format result; DbError(other) on a column type gatehouse does not use.
std::vector<Row> decode_rows(const PGresult* result, std::string_view statement);

// Rows written by INSERT, UPDATE, DELETE or MERGE; 0 for anything else (as on SQLite).
std::int64_t affected_rows(const PGresult* result);

// The rows and the affected-row count of a statement's result (null: none, an empty Result).
Result to_result(const PGresult* result, std::string_view statement);

}  // namespace gh::db::postgres
