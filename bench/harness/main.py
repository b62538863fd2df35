"""bench/run's driver: starts each server in turn on loopback, seeds it, drives it with
wrk, and writes one table and one JSON file under bench/results/."""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

from . import postgres, probes, procs, report, seed, servers, wrk

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)


def setting(name, default):
    return type(default)(os.environ.get(name, default))


SECONDS = setting("BENCH_SECONDS", 10)
LOGIN_SECONDS = setting("BENCH_LOGIN_SECONDS", SECONDS)
USERS = setting("BENCH_USERS", 50)
IDLE = setting("BENCH_IDLE_CONNECTIONS", 10000)
CONNECTIONS, LOGIN_CONNECTIONS, THREADS = 64, 16, 2
WARMUP = setting("BENCH_WARMUP_SECONDS", 2)
# For quick looks while developing: a subset of nginx, gatehouse, reference, fastify.
SERVERS = os.environ.get("BENCH_SERVERS", "nginx,gatehouse,reference,fastify").split(",")
# Refresh tokens beyond one per connection: wrk calls request() once more than it sends
# (to check the script), and a connection left without a token would have to reuse one,
# which gatehouse rightly treats as theft.
SPARE_TOKENS = 16
# Issue 21's conditions: part two's features on (the audit log, refreshes recorded too; the
# verification gate), in one column with HS256 access tokens and in another with EdDSA.
# The MFA policy stays optional: the admin whose token reads the page of users has no factor.
PART_TWO = {"AUDIT_ENABLED": "true", "AUDIT_INCLUDE": "session.refreshed",
            "EMAIL_VERIFICATION": "required"}


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# Issue 21's login: sixteen connections logging one account in (the owner's tabs and
# workers at once), which a failed-login throttle must not refuse.
ONE_ACCOUNT = {"BENCH_USERS": "1"}


def endpoints(tokens_file, seeded):
    """(row, path, script, connections, headers, env) for every endpoint row of the table;
    env overrides lua_env's."""
    user = [f"Authorization: Bearer {seeded.user_access}"]
    admin = [f"Authorization: Bearer {seeded.admin_access}"]
    return [
        ("GET /health/live", "/health/live", "get.lua", CONNECTIONS, [], {}),
        ("GET /health", "/health", "get.lua", CONNECTIONS, [], {}),
        ("GET /users/me", "/users/me", "get.lua", CONNECTIONS, user, {}),
        ("GET /users/?limit=50", "/users/?limit=50", "get.lua", CONNECTIONS, admin, {}),
        ("POST /auth/login", "/auth/login", "login.lua", LOGIN_CONNECTIONS, [], ONE_ACCOUNT),
        ("POST /auth/refresh", "/auth/refresh", "refresh.lua", CONNECTIONS, [], {}),
    ]


def lua_env(tokens_file):
    return {"BENCH_USERS": str(USERS), "BENCH_PASSWORD": seed.PASSWORD,
            "BENCH_TOKENS_FILE": tokens_file}


def drive(server, seeded, workdir, skip=()):
    tokens_file = os.path.join(workdir, f"{server.port}.tokens")
    with open(tokens_file, "w") as f:
        f.write("\n".join(seeded.refresh_tokens) + "\n")
    env = lua_env(tokens_file)
    wrk.run(server.port, "/health", "get.lua", WARMUP, THREADS, CONNECTIONS)
    out = {}
    for row, path, script, conns, headers, row_env in endpoints(tokens_file, seeded):
        if row in skip:
            continue
        seconds = LOGIN_SECONDS if "login" in row else SECONDS
        out[row] = wrk.run(server.port, path, script, seconds, THREADS, conns, headers,
                           {**env, **row_env})
        log(f"  {row}: {report.cell(out[row])}")
    return out, env


def bench_nginx(workdir):
    log("nginx static 200")
    n = servers.Nginx(workdir)
    n.start()
    try:
        r = wrk.run(n.port, "/health/live", "get.lua", SECONDS, THREADS, CONNECTIONS)
        log(f"  GET /health/live: {report.cell(r)}")
        return {"endpoints": {"GET /health/live": r}, "peak_rss_mib": procs.peak_rss_mib(n.proc.pid)}
    finally:
        n.stop()


def bench_ceiling(binary, workdir, rounds=3):
    """GET /health/live on nginx and on gatehouse (SQLite) side by side, alternating, so
    that both see the machine in the same state: the figures of the two phases above lie
    minutes apart, and on a shared machine that alone moves their ratio by a tenth."""
    log(f"nginx and gatehouse side by side, {rounds} rounds of GET /health/live")
    n = servers.Nginx(workdir)
    g = servers.Gatehouse(binary, f"sqlite:///{os.path.join(workdir, 'ceiling.db')}", workdir,
                          "gatehouse-ceiling")
    g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    n.start()
    g.start()
    try:
        seconds = max(3, SECONDS // 2)
        pairs = []
        for i in range(rounds):
            order = [("nginx", n), ("gatehouse", g)]
            if i % 2:
                order.reverse()
            pair = {name: wrk.run(s.port, "/health/live", "get.lua", seconds, THREADS,
                                  CONNECTIONS) for name, s in order}
            pair["ratio"] = pair["gatehouse"]["rps"] / pair["nginx"]["rps"]
            log(f"  round {i + 1}: nginx {pair['nginx']['rps']:,.0f} req/s, gatehouse "
                f"{pair['gatehouse']['rps']:,.0f} req/s = {pair['ratio']:.2f}x")
            pairs.append(pair)
        ratios = sorted(p["ratio"] for p in pairs)
        return {"rounds": pairs, "median_ratio": ratios[len(ratios) // 2]}
    finally:
        g.stop()
        n.stop()


def bench_gatehouse(binary, url, workdir, name, alg="HS256", probes_too=True):
    """gatehouse with part two's features on; `probes_too`: the login storm, the idle
    connections and the start-up time as well as the endpoints."""
    log(f"gatehouse ({alg}) on {name}")
    g = servers.Gatehouse(binary, url, workdir, f"gatehouse-{alg}-{name}")
    g.env.update(PART_TWO, JWT_ALGORITHM=alg)
    g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    g.start()
    try:
        seeded = seed.seed(g.port, USERS, CONNECTIONS + SPARE_TOKENS)
        seeded.admin_access = seed.admin_token(g.port)
        out = {}
        out["endpoints"], env = drive(g, seeded, workdir)
        out["peak_rss_mib"] = procs.peak_rss_mib(g.proc.pid)
        if not probes_too:
            return out
        log("  login storm")
        out["login_storm"] = probes.login_storm(g, seeded, LOGIN_SECONDS, env)
        # wrk stops sending, but up to 32 logins are still queued for the hash pool: let
        # them finish (and their Argon2id memory go back) before the next phase.
        time.sleep(3)
        if IDLE:
            log(f"  {IDLE} idle connections")
            out["idle"] = probes.idle_connections(g, IDLE)
        out["peak_rss_mib"] = procs.peak_rss_mib(g.proc.pid)
    finally:
        g.stop()
    if name == "sqlite" and probes_too:
        out["startup"] = probes.startup_ms(g)
        log(f"  start-up: {out['startup']}")
    return out


def bench_peer(peer_dir, url, make_admin, workdir, name, kind=servers.Peer):
    """The reference app, or (kind=servers.Fastify) the Fastify peer: the same seeding, the
    admin promoted in the database, the same endpoints but the liveness probe they lack."""
    log(f"{kind.label} on {name}")
    p = (kind(peer_dir, url, workdir, f"{kind.label}-{name}", make_admin)
         if kind is servers.Peer else kind(peer_dir, url, workdir, f"{kind.label}-{name}"))
    p.start()
    try:
        seeded = seed.seed(p.port, USERS, CONNECTIONS + SPARE_TOKENS, admin_registers=True)
        make_admin(seed.ADMIN_EMAIL)
        seeded.admin_access = seed.admin_token(p.port)
        out = {}
        out["endpoints"], _ = drive(p, seeded, workdir, skip=("GET /health/live",))
        out["peak_rss_mib"] = procs.peak_rss_mib(p.proc.pid)
        return out
    finally:
        p.stop()


def micro(path):
    """The Argon2id verify median (ms) from the micro-benchmarks' JSON, when they ran."""
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        data = json.load(f)
    out = {"benchmarks": {}}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") in (None, "median"):
            out["benchmarks"][b["run_name"]] = {"real_time": b["real_time"],
                                                "cpu_time": b["cpu_time"],
                                                "time_unit": b["time_unit"]}
            scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
            if b["run_name"].startswith("BM_Argon2idVerifyTwoAtOnce"):
                out["argon2id_two_at_once_median_ms"] = b["real_time"] * scale
            elif b["run_name"].startswith("BM_Argon2idVerify"):
                out["argon2id_verify_median_ms"] = b["real_time"] * scale
    return out


def postgres_cluster(binary, workdir):
    mode = os.environ.get("BENCH_PG", "auto")
    script = os.environ.get("GATEHOUSE_PG_CLUSTER", os.path.join(REPO, "scripts/pg-test-cluster"))
    if mode == "0" or not postgres.available(script):
        if mode == "1":
            raise RuntimeError("BENCH_PG=1 but no scripts/pg-test-cluster or psql")
        return None
    cluster = postgres.Cluster(script, workdir)
    cluster.start()
    cluster.create_database("gatehouse_probe")
    probe = servers.Gatehouse(binary, cluster.url("gatehouse_probe"), workdir, "pg-probe")
    if probe.cli("migrate", "status").returncode != 0:
        log("this gatehouse build has no PostgreSQL backend: PostgreSQL columns skipped")
        cluster.stop()
        if mode == "1":
            raise RuntimeError("BENCH_PG=1 but gatehouse refuses postgresql:// URLs")
        return None
    return cluster


def git_commit():
    r = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    return r.stdout.strip()


def main():
    binary = os.path.abspath(sys.argv[1])
    peer_dir = os.path.abspath(sys.argv[2])
    micro_json = sys.argv[3] if len(sys.argv) > 3 else ""
    fastify_dir = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else ""
    cores = os.cpu_count()
    started = datetime.datetime.now(datetime.timezone.utc)
    results = {"conditions": {
        "started_utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"), "cores": cores,
        "loadavg_at_start": os.getloadavg(), "commit": git_commit(),
        "wrk": f"-t{THREADS} -c{CONNECTIONS} (login -c{LOGIN_CONNECTIONS}), {SECONDS} s "
               f"per endpoint (login {LOGIN_SECONDS} s), {WARMUP} s warm-up",
        "users": USERS}}
    results["micro"] = micro(micro_json)
    with tempfile.TemporaryDirectory(prefix="gatehouse-bench-") as workdir:
        if "nginx" in SERVERS:
            results["nginx"] = bench_nginx(workdir)
        db_file = os.path.join(workdir, "gatehouse.db")
        if "gatehouse" in SERVERS:
            results["gatehouse/sqlite"] = bench_gatehouse(binary, f"sqlite:///{db_file}",
                                                          workdir, "sqlite")
            results["gatehouse-eddsa/sqlite"] = bench_gatehouse(
                binary, f"sqlite:///{db_file}-eddsa", workdir, "sqlite", "EdDSA", False)
        if "nginx" in SERVERS and "gatehouse" in SERVERS:
            results["ceiling"] = bench_ceiling(binary, workdir)
        peer_db = os.path.join(workdir, "reference.db")
        if "reference" in SERVERS:
            results["reference/sqlite"] = bench_peer(
                peer_dir, f"sqlite+aiosqlite:///{peer_db}", servers.sqlite_admin_setter(peer_db),
                workdir, "sqlite")
        fastify_db = os.path.join(workdir, "fastify.db")
        if "fastify" in SERVERS and fastify_dir:
            results["fastify/sqlite"] = bench_peer(
                fastify_dir, f"sqlite:///{fastify_db}", servers.sqlite_admin_setter(fastify_db),
                workdir, "sqlite", servers.Fastify)
        cluster = postgres_cluster(binary, workdir)
        if cluster:
            try:
                for db in ("gatehouse", "gatehouse_eddsa", "reference", "fastify"):
                    cluster.create_database(f"bench_{db}")
                if "gatehouse" in SERVERS:
                    results["gatehouse/postgres"] = bench_gatehouse(
                        binary, cluster.url("bench_gatehouse"), workdir, "postgres")
                    results["gatehouse-eddsa/postgres"] = bench_gatehouse(
                        binary, cluster.url("bench_gatehouse_eddsa"), workdir, "postgres",
                        "EdDSA", False)
                if "reference" in SERVERS:
                    results["reference/postgres"] = bench_peer(
                        peer_dir, cluster.url("bench_reference", "postgresql+asyncpg"),
                        cluster.admin_setter("bench_reference"), workdir, "postgres")
                if "fastify" in SERVERS and fastify_dir:
                    results["fastify/postgres"] = bench_peer(
                        fastify_dir, cluster.url("bench_fastify"),
                        cluster.admin_setter("bench_fastify"), workdir, "postgres",
                        servers.Fastify)
            finally:
                cluster.stop()
    results["conditions"]["loadavg_at_end"] = os.getloadavg()
    results["targets"] = report.targets(results, cores)
    write(results, started)


def write(results, started):
    c = results["conditions"]
    md = [f"Run of {c['started_utc']} on commit {c['commit']}, {c['cores']} cores, "
          f"load average {c['loadavg_at_start'][0]:.2f} at start and "
          f"{c['loadavg_at_end'][0]:.2f} at end; wrk {c['wrk']}.", "",
          report.table(results), "", "Targets:", "", report.targets_markdown(results["targets"])]
    text = "\n".join(md) + "\n"
    out_dir = os.path.join(BENCH, "results")
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, started.strftime("%Y%m%dT%H%M%SZ"))
    with open(stem + ".json", "w") as f:
        json.dump(results, f, indent=2)
    with open(stem + ".md", "w") as f:
        f.write(text)
    print(text)
    log(f"results in bench/results/{os.path.basename(stem)}.{{md,json}}")


if __name__ == "__main__":
    main()
