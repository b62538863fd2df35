"""The query plans of GET /users/ at the large size: the first page, a cursor page at 90%,
a q search and a role filter, with the statement text gatehouse prepares (the same as
src/db/user_list_queries.cpp builds; keep the two alike). SQLite: EXPLAIN QUERY PLAN;
PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of the generic plan, which gatehouse's pipelined
connections force (plan_cache_mode)."""
import sqlite3

DEPTH = 0.9  # the deep pages start this far into the table
QUERY = "9999@"  # matches bench-user-...9999@ and a few others: few rows at either size

COLUMNS = ("SELECT id, email, '' AS password_hash, role, is_active, created_at, updated_at "
           "FROM users WHERE (created_at, id) > ($1, $2)")
ORDER = " ORDER BY created_at, id LIMIT $3 OFFSET $4"
SQLITE_Q = (" AND rowid IN (SELECT rowid FROM users_email_trigrams WHERE "
            "users_email_trigrams MATCH $5)")
POSTGRES_Q = " AND email LIKE $5 ESCAPE '\\'"
ROLE = " AND role = $5"
BEFORE_ALL_US = -62_135_596_800_000_000  # what gatehouse passes for "no cursor"
ZERO_ID = "00000000-0000-0000-0000-000000000000"


def cases(dialect):
    q = SQLITE_Q if dialect == "sqlite" else POSTGRES_Q
    pattern = f'"{QUERY}"' if dialect == "sqlite" else f"%{QUERY}%"
    return [("first page: GET /users/?limit=50", COLUMNS + ORDER, None, None),
            (f"cursor page at {DEPTH:.0%}: GET /users/?limit=50&cursor=...", COLUMNS + ORDER,
             "deep", None),
            (f"q search: GET /users/?q={QUERY}&limit=50", COLUMNS + q + ORDER, None, pattern),
            ("role filter: GET /users/?role=admin&limit=50", COLUMNS + ROLE + ORDER, None, "admin")]


def sqlite(path, users):
    db = sqlite3.connect(path)
    try:
        deep = db.execute("SELECT created_at, id FROM users ORDER BY created_at, id LIMIT 1 "
                          "OFFSET ?", (int(users * DEPTH),)).fetchone()
        out = {}
        for name, sql, after, extra in cases("sqlite"):
            start = deep if after else (BEFORE_ALL_US, ZERO_ID)
            params = {"1": start[0], "2": start[1], "3": 51, "4": 0}
            if extra is not None:
                params["5"] = extra
            rows = db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            out[name] = sql + "\n\n" + "\n".join(f"{r[0]}|{r[1]}|{r[3]}" for r in rows)
        return out
    finally:
        db.close()


def postgres(cluster, database, users):
    deep = cluster.query(database, "SELECT created_at, id FROM users ORDER BY created_at, id "
                         f"LIMIT 1 OFFSET {int(users * DEPTH)}")[0]
    out = {}
    # The search once more with a plan made for its own pattern, to show what the generic
    # plan gives up (a generic plan cannot know how selective a LIKE pattern is).
    search = [c for c in cases("postgres") if c[0].startswith("q search")][0]
    more = [(search[0] + " (custom plan, for comparison)",) + search[1:]]
    for n, (name, sql, after, extra) in enumerate(cases("postgres") + more):
        start = deep if after else ("0001-01-01 00:00:00+00", ZERO_ID)
        types = "timestamptz, uuid, bigint, bigint" + (", text" if extra is not None else "")
        args = f"'{start[0]}', '{start[1]}', 51, 0" + (f", '{extra}'" if extra is not None else "")
        mode = "force_custom_plan" if "custom plan" in name else "force_generic_plan"
        script = (f"SET plan_cache_mode = {mode};\nPREPARE p{n} ({types}) AS {sql};\n"
                  f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE p{n} ({args});")
        plan = "\n".join(r[0] for r in cluster.query(database, script))
        out[name] = sql + "\n\n" + plan
    return out
