#include "db/sqlite/connection.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <mutex>

#include "db/sqlite/errors.hpp"
#include "db/sqlite/placeholders.hpp"
#include "db/sqlite/statement.hpp"

namespace gh::db::sqlite {
namespace {

constexpr int kOpenFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

// WAL lets readers run beside the one writer; NORMAL is durable across application
// crashes in WAL mode (a power loss may drop the last commits, never corrupt).
constexpr const char* kPragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA foreign_keys = ON;";

bool only_blanks(const char* text) {
  for (; *text != '\0'; ++text) {
    if (std::isspace(static_cast<unsigned char>(*text)) == 0 && *text != ';') return false;
  }
  return true;
}

// A new database file is created readable by its owner only: it holds password hashes,
// emails and sessions. SQLite would create it under the umask (usually world-readable),
// and gives its -wal and -shm files the database file's own mode.
void create_private(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // EEXIST: the operator's file, as it is; other errors: SQLite's
}

constexpr Query kTables{"sqlite_probe_tables",
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0"};

// What SQLite itself checks of a header before it trusts the file (lockBtree).
bool sound_header(const unsigned char* h) {
  const unsigned page_size = (h[16] << 8U) | h[17];  // 1 stands for 65536
  const bool page_ok = page_size == 1 || (page_size >= 512 && (page_size & (page_size - 1)) == 0);
  return std::memcmp(h, "SQLite format 3", 16) == 0 && page_ok && h[21] == 64 && h[22] == 32 &&
         h[23] == 32;
}

// Read from the file itself: in WAL mode SQLite takes page 1 from the WAL while the WAL holds
// a newer copy, so a header overwritten on the disk stays unseen until a checkpoint copies
// page 1 back or the next start refuses the file.
bool header_on_disk_is_sound(sqlite3* db) {
  sqlite3_file* file = nullptr;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (file == nullptr || file->pMethods == nullptr) return true;  // in memory: no file
  sqlite3_int64 size = 0;
  if (file->pMethods->xFileSize(file, &size) != SQLITE_OK) return false;
  if (size == 0) return true;  // nothing written yet
  unsigned char header[100];
  return file->pMethods->xRead(file, header, sizeof header, 0) == SQLITE_OK && sound_header(header);
}

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += c;
  }
  return out + '"';
}

// SQLite counts every allocation for sqlite3_memory_used() unless told not to, under a
// mutex all connections share; gatehouse never reads the count. Only possible before
// SQLite initializes itself, at the first open; a later call is refused, harmlessly.
void configure_library() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

std::unique_ptr<Connection> Connection::open(const std::string& path, int busy_timeout_ms) {
  configure_library();
  create_private(path);
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &db, kOpenFlags, nullptr);
  if (code != SQLITE_OK) {
    const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    sqlite3_close_v2(db);
    throw DbError(DbError::Kind::unavailable, "open sqlite database: " + detail);
  }
  std::unique_ptr<Connection> connection{new Connection(db)};
  connection->configure(busy_timeout_ms);
  return connection;
}

Connection::~Connection() {
  statements_.clear();  // every statement is finalized before the handle closes
  sqlite3_close_v2(db_);
}

void Connection::configure(int busy_timeout_ms) {
  sqlite3_extended_result_codes(db_, 1);
  // Before the pragmas: switching to WAL takes a lock another process may hold.
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  char* error = nullptr;
  if (sqlite3_exec(db_, kPragmas, nullptr, nullptr, &error) != SQLITE_OK) {
    // SQLite opens files lazily, so this is where a missing directory or a file that is
    // not a database shows up: the database is unavailable, whatever the code says.
    const std::string detail = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw DbError(DbError::Kind::unavailable, "open sqlite database: " + detail);
  }
}

Result Connection::execute(const Query& query, const std::vector<Value>& params) {
  return run_prepared(db_, prepared(query), params, query.name);
}

void Connection::execute_script(const std::string& script) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return;
  const std::string detail = error != nullptr ? error : sqlite3_errstr(code);
  sqlite3_free(error);
  throw DbError(error_kind(sqlite3_extended_errcode(db_)), "script: " + detail);
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

void Connection::probe(std::chrono::milliseconds deep_every) {
  if (!header_on_disk_is_sound(db_)) {
    throw DbError(DbError::Kind::unavailable, "sqlite database file: header damaged");
  }
  const auto now = std::chrono::steady_clock::now();
  if (deep_every.count() > 0 && now - deep_probed_ < deep_every) return;
  // While the WAL says nothing changed, SQLite serves cached pages again without a look at
  // the file: drop them, so the reads below come from the disk (or the WAL).
  sqlite3_db_release_memory(db_);
  // Every table's first row in one statement, so one read transaction. NOT INDEXED: the
  // table's own b-tree, not a smaller index that covers the query. Named by its text, so it
  // is prepared once per connection (and again when the tables change), not at every probe.
  std::string first_rows = "SELECT 1";
  for (const Row& table : execute(kTables, {}).rows) {
    first_rows += ", (SELECT 1 FROM " + quoted(table.text(0)) + " NOT INDEXED LIMIT 1)";
  }
  execute(Query{.name = first_rows, .sql = first_rows}, {});
  deep_probed_ = now;
}

sqlite3_stmt* Connection::prepared(const Query& query) {
  const auto found = statements_.find(query.name);
  if (found == statements_.end()) return prepare(query);
  const Prepared& cached = found->second;
  if (cached.sql != query.sql) {
    throw DbError(DbError::Kind::other,
                  std::string{query.name} + ": two different queries share this name");
  }
  return cached.stmt.get();
}

sqlite3_stmt* Connection::prepare(const Query& query) {
  const std::string sql = rewrite_placeholders(query.sql);
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  // PERSISTENT: these statements live as long as the connection.
  const int code = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  std::unique_ptr<sqlite3_stmt, Finalize> stmt{raw};
  check(db_, code, query.name);
  if (stmt == nullptr || (tail != nullptr && !only_blanks(tail))) {
    throw DbError(DbError::Kind::other,
                  std::string{query.name} + ": a query must hold exactly one statement");
  }
  auto& slot = statements_[std::string{query.name}];
  slot = Prepared{std::move(stmt), std::string{query.sql}};
  return slot.stmt.get();
}

}  // namespace gh::db::sqlite
