"""bench/scale's driver: the same endpoints against a small and a large database, on SQLite
and on PostgreSQL, side by side in one run; one table per database and a JSON file of every
figure under bench/results/ (scale-<UTC time>.md and .json). See bench/README.md."""
import datetime
import http.client
import json
import os
import sys
import tempfile
import time

from . import postgres, report, scale_plans, scale_seed, seed, servers, wrk
from .main import REPO, git_commit, setting
from .scale_plans import DEPTH, QUERY

SECONDS = setting("BENCH_SECONDS", 5)
WARMUP = setting("BENCH_WARMUP_SECONDS", 1)
SMALL_USERS = setting("SCALE_SMALL_USERS", 10_000)
SMALL_SESSIONS = setting("SCALE_SMALL_SESSIONS", 0)
LARGE_USERS = setting("SCALE_LARGE_USERS", 1_000_000)
LARGE_SESSIONS = setting("SCALE_LARGE_SESSIONS", 10_000_000)
# Live sessions for POST /auth/logout, one spent per request: more than a run can use.
LOGOUT_TOKENS = setting("SCALE_LOGOUT_TOKENS", 30_000 * SECONDS)
DATABASES = os.environ.get("SCALE_DATABASES", "sqlite,postgres").split(",")
THREADS, CONNECTIONS, LOGIN_CONNECTIONS = 2, 32, 16


def log(msg):
    print(f"bench/scale: {msg}", file=sys.stderr, flush=True)


def get(port, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        res = conn.getresponse()
        body = res.read()
        if res.status != 200:
            raise RuntimeError(f"GET {path}: {res.status} {body[:200]!r}")
        return res, json.loads(body)
    finally:
        conn.close()


def endpoints(port, users, user_token, admin_token):
    """(row, path, script, connections, headers, notes), checked once by hand first."""
    deep = int(users * DEPTH)
    res, _ = get(port, f"/users/?skip={deep}&limit=1", admin_token)
    cursor = res.getheader("X-Next-Cursor")
    if not cursor:
        raise RuntimeError("no X-Next-Cursor at 90% of the table")
    _, found = get(port, f"/users/?q={QUERY}&limit=50", admin_token)
    user = [f"Authorization: Bearer {user_token}"]
    admin = [f"Authorization: Bearer {admin_token}"]
    return [
        ("GET /users/me", "/users/me", "get.lua", CONNECTIONS, user, ""),
        ("GET /users/stats", "/users/stats", "get.lua", CONNECTIONS, admin, ""),
        ("GET /users/?limit=50", "/users/?limit=50", "get.lua", CONNECTIONS, admin, ""),
        (f"GET /users/?limit=50&cursor= (at {DEPTH:.0%})", f"/users/?limit=50&cursor={cursor}",
         "get.lua", CONNECTIONS, admin, ""),
        (f"GET /users/?skip= (at {DEPTH:.0%})&limit=50", f"/users/?skip={deep}&limit=50",
         "get.lua", CONNECTIONS, admin, f"skip={deep:,}"),
        (f"GET /users/?q={QUERY}&limit=50", f"/users/?q={QUERY}&limit=50", "get.lua",
         CONNECTIONS, admin, f"{len(found)} rows"),
        ("POST /auth/login", "/auth/login", "login.lua", LOGIN_CONNECTIONS, [], ""),
        ("POST /auth/register", "/auth/register", "register.lua", CONNECTIONS, [], ""),
        ("POST /auth/refresh", "/auth/refresh", "refresh.lua", CONNECTIONS, [], ""),
        ("POST /auth/logout", "/auth/logout", "logout.lua", CONNECTIONS, [], ""),
    ]


def settle(port, token, limit_s=120):
    """Waits until GET /users/me answers within 20 ms three times running: a deep skip or
    a slow search leaves statements running after wrk stops, and the next endpoint would
    pay for them."""
    deadline, quick = time.monotonic() + limit_s, 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        get(port, "/users/me", token)
        quick = quick + 1 if time.monotonic() - started < 0.02 else 0
        time.sleep(0.1)


def write_lines(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def measure(g, users, logout_tokens, workdir, tag):
    admin_token = seed.admin_token(g.port)
    # Refresh tokens from logins, one per connection and some spare (see bench/run).
    pairs = [seed.login(g.port, seed.user_email(i)) for i in range(CONNECTIONS + 16)]
    refresh_file = os.path.join(workdir, f"{tag}.refresh")
    logout_file = os.path.join(workdir, f"{tag}.logout")
    write_lines(refresh_file, [p["refresh_token"] for p in pairs])
    write_lines(logout_file, logout_tokens)
    wrk.run(g.port, "/health", "get.lua", WARMUP, THREADS, CONNECTIONS)
    out = {}
    for row, path, script, conns, headers, note in endpoints(g.port, users,
                                                             pairs[0]["access_token"], admin_token):
        env = {"BENCH_USERS": str(scale_seed.login_users(users)), "BENCH_PASSWORD": seed.PASSWORD,
               "BENCH_RUN_ID": tag,
               "BENCH_TOKENS_FILE": logout_file if script == "logout.lua" else refresh_file}
        out[row] = wrk.run(g.port, path, script, SECONDS, THREADS, conns, headers, env)
        settle(g.port, admin_token)
        if note:
            out[row]["note"] = note
        log(f"  {row}: {report.cell(out[row])}")
    return out


def one_size(kind, binary, url, workdir, tag, users, sessions, cluster=None, database=None,
             db_file=None, plans=False):
    g = servers.Gatehouse(binary, url, workdir, f"gatehouse-{tag}")
    g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    started = time.monotonic()
    if kind == "sqlite":
        tokens = scale_seed.seed_sqlite(db_file, users, sessions, LOGOUT_TOKENS, servers.BENCH_SECRET)
    else:
        tokens = scale_seed.seed_postgres(cluster, database, users, sessions, LOGOUT_TOKENS,
                                          servers.BENCH_SECRET)
    seeded_s = time.monotonic() - started
    log(f"  {tag}: {users:,} users and {sessions:,} sessions seeded in {seeded_s:.0f} s")
    g.start()
    try:
        figures = measure(g, users, tokens, workdir, tag)
    finally:
        g.stop()
    out = {"users": users, "sessions": sessions, "seed_seconds": round(seeded_s, 1),
           "endpoints": figures}
    if plans:
        out["plans"] = (scale_plans.sqlite(db_file, users) if kind == "sqlite"
                        else scale_plans.postgres(cluster, database, users))
    return out


def bench_sqlite(binary, workdir):
    out = {}
    for size, users, sessions in (("small", SMALL_USERS, SMALL_SESSIONS),
                                  ("large", LARGE_USERS, LARGE_SESSIONS)):
        log(f"SQLite, {size}")
        db_file = os.path.join(workdir, f"scale-{size}.db")
        out[size] = one_size("sqlite", binary, f"sqlite:///{db_file}", workdir, f"sqlite-{size}",
                             users, sessions, db_file=db_file, plans=size == "large")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db_file + suffix):
                os.remove(db_file + suffix)
    return out


def bench_postgres(binary, workdir):
    cluster = postgres.Cluster(os.path.join(REPO, "scripts/pg-test-cluster"), workdir)
    cluster.start()
    try:
        out = {}
        for size, users, sessions in (("small", SMALL_USERS, SMALL_SESSIONS),
                                      ("large", LARGE_USERS, LARGE_SESSIONS)):
            log(f"PostgreSQL, {size}")
            database = f"scale_{size}"
            cluster.create_database(database)
            out[size] = one_size("postgres", binary, cluster.url(database), workdir,
                                 f"postgres-{size}", users, sessions, cluster=cluster,
                                 database=database, plans=size == "large")
            cluster.psql("postgres", 'DROP DATABASE :"name";', name=database)
        return out
    finally:
        cluster.stop()


def ms(us):
    return f"{us / 1000:.2f} ms" if us < 100_000 else f"{us / 1000:.0f} ms"


def p99(r):
    # wrk reports a latency of 0 when nothing came back: say so instead.
    return ms(r["p99_us"]) if r["requests"] else "none"


def table(result):
    small, large = result["small"], result["large"]
    lines = [f"| endpoint | req/s small | req/s large | ratio large/small | p99 small | "
             f"p99 large |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row, s in small["endpoints"].items():
        big = large["endpoints"][row]

        def rate(r):
            if not r["requests"]:
                return f"none answered in {r['duration_us'] / 1e6:.0f} s"
            text = f"{r['rps']:,.0f}"
            if r["errors"]:
                text += f" ({r['errors']} errors)"
            if r.get("note"):
                text += f" [{r['note']}]"
            return text
        ratio = big["rps"] / s["rps"] if s["rps"] else 0
        lines.append(f"| `{row}` | {rate(s)} | {rate(big)} | {ratio:.2f} | {p99(s)} "
                     f"| {p99(big)} |")
    return "\n".join(lines)


def targets(result):
    """The issue's targets: at the large size every endpoint but the deep skip keeps 0.8 x
    its small-size throughput and a p99 under 10 ms at 32 connections; q at 1,000 req/s."""
    out = []
    for row, s in result["small"]["endpoints"].items():
        if "skip=" in row:
            continue
        big = result["large"]["endpoints"][row]
        ratio = big["rps"] / s["rps"] if s["rps"] else 0
        out.append((ratio >= 0.8, f"`{row}` large/small >= 0.8 ({ratio:.2f})"))
        out.append((big["requests"] > 0 and big["p99_us"] < 10_000,
                    f"`{row}` p99 < 10 ms at the large size ({p99(big)})"))
        if "q=" in row:
            out.append((big["rps"] >= 1000, f"`{row}` >= 1,000 req/s ({big['rps']:,.0f})"))
    return [f"- {'holds' if ok else 'MISSED'}: {text}" for ok, text in out]


def markdown(results):
    c = results["conditions"]
    md = [f"Run of {c['started_utc']} on commit {c['commit']}, {c['cores']} cores, load average "
          f"{c['loadavg_at_start'][0]:.2f} at start and {c['loadavg_at_end'][0]:.2f} at end; "
          f"wrk {c['wrk']}.", ""]
    for name, key in (("SQLite", "sqlite"), ("PostgreSQL", "postgres")):
        if key not in results:
            continue
        r = results[key]
        md += [f"### {name}: {r['small']['users']:,} users and {r['small']['sessions']:,} "
               f"sessions against {r['large']['users']:,} users and "
               f"{r['large']['sessions']:,} sessions",
               "", f"Seeded in {r['small']['seed_seconds']:.0f} s and "
               f"{r['large']['seed_seconds']:.0f} s.", "", table(r), "", "Targets:", "", *targets(r), ""]
    return "\n".join(md)


def write(results, started):
    out_dir = os.path.join(REPO, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, "scale-" + started.strftime("%Y%m%dT%H%M%SZ"))
    with open(stem + ".json", "w") as f:
        json.dump(results, f, indent=2)
    write_markdown(results, stem)
    log(f"results in bench/results/{os.path.basename(stem)}.{{md,json}}")


def write_markdown(results, stem):
    """stem.md: the tables, then the large size's query plans; printed too."""
    text = markdown(results)
    with open(stem + ".md", "w") as f:
        f.write(text)
        for key in ("sqlite", "postgres"):
            for name, plan in results.get(key, {}).get("large", {}).get("plans", {}).items():
                f.write(f"\n{key}, {name}:\n\n```\n{plan}\n```\n")
    print(text)


def main():
    if sys.argv[1].endswith(".json"):  # a run's .md again, from its JSON file
        with open(sys.argv[1]) as f:
            write_markdown(json.load(f), sys.argv[1][:-len(".json")])
        return
    binary = os.path.abspath(sys.argv[1])
    started = datetime.datetime.now(datetime.timezone.utc)
    results = {"conditions": {
        "started_utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"), "cores": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(), "commit": git_commit(),
        "wrk": f"-t{THREADS} -c{CONNECTIONS} (login -c{LOGIN_CONNECTIONS}), {SECONDS} s per "
               f"endpoint, {WARMUP} s warm-up",
        "logout_tokens": LOGOUT_TOKENS}}
    with tempfile.TemporaryDirectory(prefix="gatehouse-scale-") as workdir:
        if "sqlite" in DATABASES:
            results["sqlite"] = bench_sqlite(binary, workdir)
        if "postgres" in DATABASES:
            results["postgres"] = bench_postgres(binary, workdir)
    results["conditions"]["loadavg_at_end"] = os.getloadavg()
    write(results, started)


if __name__ == "__main__":
    main()
