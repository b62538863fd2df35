"""bench/features' driver: what part two's features cost on the hot paths. One gatehouse per
configuration (part one's features only, each feature of part two alone, all of them), on
SQLite and on a throw-away PostgreSQL, measured in rounds that alternate their order:
GET /users/me, POST /auth/refresh (rotating, fresh tokens each round) and POST /auth/login
(correct passwords, 16 connections). Prints each figure beside part one's as a ratio and
writes bench/results/features-<time>.{md,json}."""
import os
import statistics
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from . import postgres, results as kept, seed, servers, wrk

REPO = kept.REPO
SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
ROUNDS = int(os.environ.get("FEATURES_ROUNDS", 3))
USERS = int(os.environ.get("BENCH_USERS", 50))
DATABASES = os.environ.get("FEATURES_DATABASES", "sqlite,postgres").split(",")
CONNECTIONS, LOGIN_CONNECTIONS, THREADS = 64, 16, 2
# wrk asks refresh.lua for one request more than it sends; the spares keep every connection
# on a token of its own (a reused one is theft, rightly refused).
REFRESH_TOKENS = CONNECTIONS + 16

PART_ONE = {"AUDIT_ENABLED": "false", "JWT_ALGORITHM": "HS256", "EMAIL_VERIFICATION": "off",
            "MFA": "optional"}
AUDIT = {"AUDIT_ENABLED": "true", "AUDIT_INCLUDE": "session.refreshed"}
EDDSA = {"JWT_ALGORITHM": "EdDSA"}
# The gates: an unverified user's token is checked against the routes it may reach (the
# seeded users are unverified: /users/me is one of them), an admin's for aal2.
GATES = {"EMAIL_VERIFICATION": "required", "MFA": "required_for_admins"}
CONFIGS = {
    "part one": PART_ONE,
    "+ audit log (refreshes too)": {**PART_ONE, **AUDIT},
    "+ EdDSA tokens": {**PART_ONE, **EDDSA},
    "+ verification and MFA gates": {**PART_ONE, **GATES},
    "all of part two": {**PART_ONE, **AUDIT, **EDDSA, **GATES},
}
ENDPOINTS = ["GET /users/me", "POST /auth/refresh", "POST /auth/login"]


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def start(binary, url, workdir, name, env):
    g = servers.Gatehouse(binary, url, workdir, name)
    g.env.update(env)
    g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    g.start()
    g.user_access = seed.seed(g.port, USERS, 0).user_access
    return g


def fresh_refresh_tokens(g, workdir):
    with ThreadPoolExecutor(4) as pool:
        pairs = list(pool.map(lambda i: seed.login(g.port, seed.user_email(i % USERS)),
                              range(REFRESH_TOKENS)))
    path = os.path.join(workdir, f"{g.port}.tokens")
    with open(path, "w") as f:
        f.write("\n".join(p["refresh_token"] for p in pairs) + "\n")
    return path


def measure(g, endpoint, workdir):
    env = {"BENCH_USERS": str(USERS), "BENCH_PASSWORD": seed.PASSWORD}
    if endpoint == "GET /users/me":
        return wrk.run(g.port, "/users/me", "get.lua", SECONDS, THREADS, CONNECTIONS,
                       [f"Authorization: Bearer {g.user_access}"])
    if endpoint == "POST /auth/refresh":
        env["BENCH_TOKENS_FILE"] = fresh_refresh_tokens(g, workdir)
        return wrk.run(g.port, "/auth/refresh", "refresh.lua", SECONDS, THREADS, CONNECTIONS,
                       env_extra=env)
    return wrk.run(g.port, "/auth/login", "login.lua", SECONDS, THREADS, LOGIN_CONNECTIONS,
                   env_extra=env)


def one_database(binary, url_of, workdir, kind):
    started = {}
    try:
        for i, (name, env) in enumerate(CONFIGS.items()):
            log(f"{kind}: gatehouse with {name}")
            started[name] = start(binary, url_of(i), workdir, f"{kind}-{i}", env)
        rounds = []
        for r in range(ROUNDS):
            order = list(started.items()) if r % 2 == 0 else list(reversed(started.items()))
            got = {}
            for endpoint in ENDPOINTS:
                for name, g in order:
                    got[f"{name}|{endpoint}"] = res = measure(g, endpoint, workdir)
                    log(f"  round {r + 1} {name}, {endpoint}: {res['rps']:,.0f} req/s, "
                        f"{res['errors']} non-2xx or errors")
            rounds.append(got)
        return rounds
    finally:
        for g in started.values():
            g.stop()


def median(rounds, key, field="rps"):
    return statistics.median(r[key][field] for r in rounds)


def table(results):
    lines = ["| database | configuration | " +
             " | ".join(f"{e}: req/s | / part one | p99" for e in ENDPOINTS) + " | non-2xx or errors |",
             "| --- | --- |" + " ---: | ---: | ---: |" * len(ENDPOINTS) + " ---: |"]
    for kind, rounds in results.items():
        for name in CONFIGS:
            cells = []
            bad = 0
            for e in ENDPOINTS:
                rps, base = median(rounds, f"{name}|{e}"), median(rounds, f"part one|{e}")
                p99 = median(rounds, f"{name}|{e}", "p99_us") / 1000
                cells.append(f"{rps:,.0f} | {rps / base:.2f} | {p99:.2f} ms")
                bad += sum(r[f"{name}|{e}"]["errors"] for r in rounds)
            lines.append(f"| {kind} | {name} | " + " | ".join(cells) + f" | {bad} |")
    return "\n".join(lines)


def main():
    binary = os.path.abspath(sys.argv[1])
    stamp, commit = kept.stamp(), kept.commit()
    start_load = os.getloadavg()[0]
    results = {}
    with tempfile.TemporaryDirectory(prefix="gh-features-bench-") as workdir:
        if "sqlite" in DATABASES:
            results["SQLite"] = one_database(
                binary, lambda i: f"sqlite:///{workdir}/features-{i}.db", workdir, "sqlite")
        if "postgres" in DATABASES:
            cluster = postgres.Cluster(os.path.join(REPO, "scripts/pg-test-cluster"), workdir)
            cluster.start()
            try:
                for i in range(len(CONFIGS)):
                    cluster.create_database(f"features_{i}")
                results["PostgreSQL"] = one_database(
                    binary, lambda i: cluster.url(f"features_{i}"), workdir, "postgres")
            finally:
                cluster.stop()
    head = (f"Run of {stamp} on commit {commit}, {os.cpu_count()} cores, load average "
            f"{start_load:.2f} at start and {os.getloadavg()[0]:.2f} at end; wrk -t{THREADS} "
            f"-c{CONNECTIONS} (login -c{LOGIN_CONNECTIONS}), {SECONDS} s per measurement, "
            f"{ROUNDS} rounds in alternating order, medians; {USERS} users.")
    md = head + "\n\n" + table(results) + "\n"
    kept.write("features", stamp, md, {"commit": commit, "results": results})


if __name__ == "__main__":
    main()
