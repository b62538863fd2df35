"""bench/scale's data: users and sessions written straight into a migrated database with
one INSERT ... SELECT each (a recursive CTE on SQLite, generate_series on PostgreSQL), in
one transaction, so the counts row and the search index stay consistent.

Row i of N users (created one by one over the last two years, ids v7-like: the creation
millisecond first, i last):
- every 50th row is special: an admin every 1,000th (bench-admin-i@example.com), an
  inactive user otherwise (bench-inactive-i@example.com);
- the others are bench-user-j@example.com, j = 0, 1, 2, ... (j = i - (i + 1) / 50), so the
  login script can cycle through the first `login_users(N)` of them.
Every user has the same Argon2id hash, the create-admin admin's, whose password is known.

Sessions (the last year, one every 365 days / S): session k belongs to user (k * 7919) mod
N; six in ten were revoked an hour after they began, and as each lives 30 days, all but
the last month's are expired: about 3% are live."""
import hashlib
import hmac
import base64
import json
import sqlite3
import time
import uuid

DAY_US = 86_400 * 1_000_000
USER_SPAN_US = 730 * DAY_US
SESSION_SPAN_US = 365 * DAY_US
SESSION_LIFE_US = 30 * DAY_US
SPREAD = 7919  # a prime: session k's user jumps around the table


def login_users(n):
    """How many bench-user-j addresses exist among n rows."""
    return n - n // 50


def uuid_sql(dialect, i, t):
    """A v7-like id from an index expression and a microsecond time expression."""
    ms = f"(({t}) / 1000)"
    parts = [(f"{ms} >> 16", 8), (f"{ms} & 65535", 4)]
    if dialect == "sqlite":
        return (f"printf('%08x-%04x-7%03x-%x%03x-%012x', {parts[0][0]}, {parts[1][0]}, "
                f"(({i}) * 40503) & 4095, 8 + (({i}) & 3), ((({i}) * 2654435761) >> 7) & 4095, {i})")

    def hexed(expr, width):
        return f"lpad(to_hex({expr}), {width}, '0')"
    return (f"({hexed(parts[0][0], 8)} || '-' || {hexed(parts[1][0], 4)} || '-7' || "
            f"{hexed(f'(({i}) * 40503) & 4095', 3)} || '-' || to_hex(8 + (({i}) & 3)) || "
            f"{hexed(f'((({i}) * 2654435761) >> 7) & 4095', 3)} || '-' || {hexed(i, 12)})::uuid")


def email_sql(dialect, i):
    j = f"({i} - ({i} + 1) / 50)"
    cat = "||"
    return (f"CASE WHEN {i} % 50 <> 49 THEN 'bench-user-' {cat} {j} "
            f"WHEN {i} % 1000 = 999 THEN 'bench-admin-' {cat} {i} "
            f"ELSE 'bench-inactive-' {cat} {i} END {cat} '@example.com'")


def time_sql(dialect, micros):
    if dialect == "sqlite":
        return micros
    return f"(timestamptz 'epoch' + ({micros}) * interval '1 microsecond')"


def user_select(dialect, users, t0, step):
    t = f"({t0} + i * {step})"
    role = "CASE WHEN i % 1000 = 999 THEN 'admin' ELSE 'user' END"
    if dialect == "sqlite":
        active = "CASE WHEN i % 50 = 49 AND i % 1000 <> 999 THEN 0 ELSE 1 END"
        source = (f"(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                  f"WHERE i + 1 < {users}) SELECT i FROM n)")
        hash_param = ":hash"
    else:
        active = "NOT (i % 50 = 49 AND i % 1000 <> 999)"
        source = f"generate_series(0::bigint, {users - 1}) AS g(i)"
        hash_param = ":'hash'"
    return (f"INSERT INTO users (id, email, password_hash, role, is_active, created_at, "
            f"updated_at) SELECT {uuid_sql(dialect, 'i', t)}, {email_sql(dialect, 'i')}, "
            f"{hash_param}, {role}, {active}, {time_sql(dialect, t)}, {time_sql(dialect, t)} "
            f"FROM {source}")


def session_values(dialect, users, sessions, t0u, stepu, t0s, steps):
    """Expressions for every sessions column this code knows, by name, over index k."""
    t = f"({t0s} + k * {steps})"
    u = f"((k * {SPREAD}) % {users})"
    revoked = f"CASE WHEN k % 10 < 6 THEN {time_sql(dialect, f'{t} + 3600000000')} END"
    hexed = ("printf('%064x', k)" if dialect == "sqlite" else "lpad(to_hex(k), 64, '0')")
    return {
        "id": uuid_sql(dialect, "k", t),
        "user_id": uuid_sql(dialect, u, f"({t0u} + {u} * {stepu})"),
        "refresh_hash": hexed,
        "created_at": time_sql(dialect, t),
        "expires_at": time_sql(dialect, f"{t} + {SESSION_LIFE_US}"),
        "revoked_at": revoked,
        "last_used_at": time_sql(dialect, f"{t} + (k % 3600) * 1000000"),
        "ip": f"'10.' || (k % 250) || '.' || ((k / 250) % 250) || '.' || (k % 7 + 1)",
        "user_agent": "'bench-scale/1.0 (seeded)'",
    }


def session_select(dialect, columns, users, sessions, t0u, stepu, t0s, steps):
    """columns: [(name, type, not_null, has_default)] read from the database."""
    known = session_values(dialect, users, sessions, t0u, stepu, t0s, steps)
    names, exprs = [], []
    for name, typ, not_null, has_default in columns:
        if name in known:
            expr = known[name]
            if dialect == "postgres" and name in ("ip", "user_agent"):
                expr = f"({expr})::{typ}"
            names.append(name)
            exprs.append(expr)
        elif not_null and not has_default:
            raise RuntimeError(f"bench/scale does not know how to seed sessions.{name}")
    if dialect == "sqlite":
        source = (f"(WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n "
                  f"WHERE k + 1 < {sessions}) SELECT k FROM n)")
    else:
        source = f"generate_series(0::bigint, {sessions - 1}) AS g(k)"
    return f"INSERT INTO sessions ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {source}"


def plan_times(users, sessions, now_us):
    t0u = now_us - USER_SPAN_US
    t0s = now_us - SESSION_SPAN_US
    return t0u, max(1, USER_SPAN_US // max(users, 1)), t0s, max(1, SESSION_SPAN_US // max(sessions, 1))


# --- logout: sessions whose refresh tokens we sign ourselves -------------------------------

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


HEADER = b64(b'{"alg":"HS256","typ":"JWT"}')


def refresh_token(secret, user_id, session_id, jti, now_s, life_s):
    payload = json.dumps({"sub": user_id, "type": "refresh", "sid": session_id, "jti": jti,
                          "iat": now_s, "exp": now_s + life_s}, separators=(",", ":"))
    signing = f"{HEADER}.{b64(payload.encode())}"
    mac = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{b64(mac)}"


def live_sessions(secret, user_ids, count, now_us):
    """count live sessions spread over user_ids, and the refresh token of each: what a
    client holds after a login, signed as gatehouse signs (see services/crypto/jwt.cpp)."""
    rows, tokens = [], []
    now_s = now_us // 1_000_000
    for n in range(count):
        sid = str(uuid.uuid4())
        jti = uuid.uuid4().hex
        user = user_ids[n % len(user_ids)]
        tokens.append(refresh_token(secret, user, sid, jti, now_s, 7 * 86_400))
        rows.append({"id": sid, "user_id": user,
                     "refresh_hash": hashlib.sha256(jti.encode()).hexdigest(),
                     "created_at": now_us, "expires_at": now_us + 7 * DAY_US,
                     "revoked_at": None, "last_used_at": now_us, "ip": "127.0.0.1",
                     "user_agent": "bench-scale/1.0 (logout)"})
    return rows, tokens


# --- SQLite ---------------------------------------------------------------------------------

def sqlite_indexes(db, table):
    """The secondary indexes that can be dropped and made again from their own SQL."""
    return db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                      "tbl_name = ? AND sql IS NOT NULL", (table,)).fetchall()


def seed_sqlite(path, users, sessions, logout_sessions, secret):
    now_us = int(time.time() * 1_000_000)
    t0u, stepu, t0s, steps = plan_times(users, sessions, now_us)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA cache_size = -1000000")
        (hash_,) = db.execute("SELECT password_hash FROM users WHERE role = 'admin'").fetchone()
        columns = [(r[1], r[2], bool(r[3]), r[4] is not None)
                   for r in db.execute("PRAGMA table_info(sessions)")]
        db.execute("BEGIN")
        # A sorted build beats ten million random inserts: the indexes go and come back
        # from their own CREATE statements, inside the transaction.
        indexes = sqlite_indexes(db, "users") + sqlite_indexes(db, "sessions")
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        db.execute(user_select("sqlite", users, t0u, stepu), {"hash": hash_})
        if sessions:
            db.execute(session_select("sqlite", columns, users, sessions, t0u, stepu, t0s, steps))
        for _, sql in indexes:
            db.execute(sql)
        tokens = []
        if logout_sessions:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM users WHERE role = 'user' AND is_active = 1 LIMIT 1000")]
            rows, tokens = live_sessions(secret, ids, logout_sessions, now_us)
            names = [c[0] for c in columns if c[0] in rows[0]]
            db.executemany(f"INSERT INTO sessions ({', '.join(names)}) VALUES "
                           f"({', '.join(':' + n for n in names)})", rows)
        db.execute("COMMIT")
        db.execute("ANALYZE")
    finally:
        db.close()
    return tokens


# --- PostgreSQL -----------------------------------------------------------------------------

def seed_postgres(cluster, database, users, sessions, logout_sessions, secret):
    now_us = int(time.time() * 1_000_000)
    t0u, stepu, t0s, steps = plan_times(users, sessions, now_us)
    hash_ = cluster.query(database, "SELECT password_hash FROM users WHERE role = 'admin'")[0][0]
    columns = [(r[0], r[1], r[2] == "NO", r[3] != "") for r in cluster.query(
        database, "SELECT column_name, data_type, is_nullable, coalesce(column_default, '') "
        "FROM information_schema.columns WHERE table_name = 'sessions' ORDER BY ordinal_position")]
    indexes = cluster.query(
        database, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('users', "
        "'sessions') AND indexname NOT IN (SELECT conname FROM pg_constraint)")
    ids = []
    sql = ["SET maintenance_work_mem = '1GB';", "BEGIN;",
           # Replica mode skips the triggers (the counts row, the foreign key): ten million
           # foreign-key checks and a million updates of one counts row would cost more than
           # the rows. The counts are set from the table below, in the same transaction.
           "SET LOCAL session_replication_role = replica;"]
    sql += [f'DROP INDEX "{name}";' for name, _ in indexes]
    sql.append(user_select("postgres", users, t0u, stepu) + ";")
    if sessions:
        sql.append(session_select("postgres", columns, users, sessions, t0u, stepu, t0s, steps) + ";")
    sql += [f"{definition};" for _, definition in indexes]
    sql.append("UPDATE user_counts SET total = c.total, active = c.active, admins = c.admins "
               "FROM (SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE is_active) AS active, "
               "COUNT(*) FILTER (WHERE is_active AND role = 'admin') AS admins FROM users) c "
               "WHERE id = 1;")
    sql += ["COMMIT;", "ANALYZE users;", "ANALYZE sessions;"]
    cluster.psql(database, "\n".join(sql), hash=hash_)
    tokens = []
    if logout_sessions:
        ids = [r[0] for r in cluster.query(
            database, "SELECT id FROM users WHERE role = 'user' AND is_active LIMIT 1000")]
        rows, tokens = live_sessions(secret, ids, logout_sessions, now_us)
        names = [c[0] for c in columns if c[0] in rows[0]]
        lines = ["\t".join("\\N" if r[n] is None else
                           (_pg_time(r[n]) if n.endswith("_at") else str(r[n])) for n in names)
                 for r in rows]
        cluster.psql(database, f"COPY sessions ({', '.join(names)}) FROM STDIN;\n"
                     + "\n".join(lines) + "\n\\.\n")
    return tokens


def _pg_time(micros):
    secs, us = divmod(micros, 1_000_000)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(secs)) + f".{us:06d}+00"
