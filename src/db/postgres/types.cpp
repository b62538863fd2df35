#include "db/postgres/types.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace gh::db::postgres {
namespace {

// Type OIDs from pg_type.dat; stable across PostgreSQL versions.
constexpr Oid kBool = 16, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26,
              kUnknown = 705, kBpchar = 1042, kVarchar = 1043, kTimestamp = 1114,
              kTimestamptz = 1184, kUuid = 2950;

// PostgreSQL counts timestamps from 2000-01-01 UTC.
constexpr std::int64_t kPgEpochMicros = 946'684'800'000'000;

std::string big_endian(std::uint64_t v, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::int64_t read_signed(const char* data, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(data[i]);
  const int unused = 64 - 8 * bytes;  // sign-extend narrower integers
  return unused == 0 ? static_cast<std::int64_t>(v)
                     : static_cast<std::int64_t>(v << unused) >> unused;
}

std::string uuid_text(const char* data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const auto byte = static_cast<unsigned char>(data[i]);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

[[noreturn]] void refuse(std::string_view statement, const std::string& why) {
  throw DbError(DbError::Kind::other, std::string{statement} + ": " + why);
}

void expect_length(int actual, int expected, std::string_view statement) {
  if (actual != expected) refuse(statement, "unexpected binary length for a column");
}

[[noreturn]] void refuse_type(Oid type, std::string_view statement) {
  refuse(statement, "column type " + std::to_string(type) + " is not supported");
}

// The types decode() reads: keep the two lists together.
bool decodable(Oid type) {
  switch (type) {
    case kBool:
    case kInt2:
    case kInt4:
    case kOid:
    case kInt8:
    case kTimestamp:
    case kTimestamptz:
    case kUuid:
    case kText:
    case kVarchar:
    case kBpchar:
    case kName:
    case kUnknown:
      return true;
    default:
      return false;
  }
}

Value decode(Oid type, const char* data, int length, std::string_view statement) {
  switch (type) {
    case kBool:
      expect_length(length, 1, statement);
      return std::int64_t{data[0] != 0 ? 1 : 0};
    case kInt2:
      expect_length(length, 2, statement);
      return read_signed(data, 2);
    case kInt4:
    case kOid:
      expect_length(length, 4, statement);
      return read_signed(data, 4);
    case kInt8:
      expect_length(length, 8, statement);
      return read_signed(data, 8);
    case kTimestamp:
    case kTimestamptz:
      expect_length(length, 8, statement);
      return read_signed(data, 8) + kPgEpochMicros;
    case kUuid:
      expect_length(length, 16, statement);
      return uuid_text(data);
    case kText:
    case kVarchar:
    case kBpchar:
    case kName:
    case kUnknown:
      return std::string(data, static_cast<std::size_t>(length));
    default:
      refuse_type(type, statement);
  }
}

}  // namespace

EncodedParams::EncodedParams(const std::vector<Oid>& types, const std::vector<Value>& params,
                             std::string_view statement) {
  if (types.size() != params.size()) {
    refuse(statement, "expects " + std::to_string(types.size()) + " parameters, got " +
                          std::to_string(params.size()));
  }
  storage_.reserve(params.size());  // values_ point into it: no reallocation allowed
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& value = params[i];
    int format = 0;
    if (std::holds_alternative<std::monostate>(value)) {
      values_.push_back(nullptr);
      lengths_.push_back(0);
      formats_.push_back(0);
      continue;
    }
    if (const auto* text = std::get_if<std::string>(&value)) {
      // Text-format values are read up to the first NUL; PostgreSQL text cannot hold one.
      if (text->find('\0') != std::string::npos) refuse(statement, "text parameter holds a NUL");
      storage_.push_back(*text);
    } else {
      const std::int64_t integer = std::get<std::int64_t>(value);
      if (types[i] == kTimestamptz || types[i] == kTimestamp) {
        storage_.push_back(big_endian(static_cast<std::uint64_t>(integer - kPgEpochMicros), 8));
        format = 1;
      } else if (types[i] == kBool) {
        storage_.push_back(integer != 0 ? "t" : "f");
      } else {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, integer).ptr;
        storage_.emplace_back(digits, end);
      }
    }
    values_.push_back(storage_.back().c_str());
    lengths_.push_back(static_cast<int>(storage_.back().size()));
    formats_.push_back(format);
  }
}

void check_columns(const PGresult* description, std::string_view statement) {
  for (int c = 0; c < PQnfields(description); ++c) {
    if (!decodable(PQftype(description, c))) refuse_type(PQftype(description, c), statement);
  }
}

std::vector<Row> decode_rows(const PGresult* result, std::string_view statement) {
  const int rows = PQntuples(result);
  const int columns = PQnfields(result);
  std::vector<Row> out;
  out.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    Row row;
    row.values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c) != 0) {
        row.values.emplace_back();
      } else {
        row.values.push_back(decode(PQftype(result, c), PQgetvalue(result, r, c),
                                    PQgetlength(result, r, c), statement));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::int64_t affected_rows(const PGresult* result) {
  const std::string_view status = PQcmdStatus(const_cast<PGresult*>(result));
  const bool writes = status.starts_with("INSERT") || status.starts_with("UPDATE") ||
                      status.starts_with("DELETE") || status.starts_with("MERGE");
  if (!writes) return 0;
  const std::string_view count = PQcmdTuples(const_cast<PGresult*>(result));
  std::int64_t n = 0;
  std::from_chars(count.data(), count.data() + count.size(), n);
  return n;
}

Result to_result(const PGresult* result, std::string_view statement) {
  Result out;
  if (result != nullptr) {
    out.rows = decode_rows(result, statement);
    out.affected_rows = affected_rows(result);
  }
  return out;
}

}  // namespace gh::db::postgres
