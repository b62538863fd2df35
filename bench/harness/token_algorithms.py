"""bench/tokens' driver: GET /users/me with an HS256, an EdDSA and an ES256 access token, in
one run, three gatehouse instances (SQLite) and a static nginx side by side, in rounds that
alternate their order. Each algorithm is measured twice: one token sent again and again (a
client's usual pattern: gatehouse checks its signature once per thread), and a new token on
every request from a pool larger than that memory (every request a full signature check).
Prints the table and writes bench/results/tokens-<time>.{md,json}."""
import os
import statistics
import sys
import tempfile

from . import results as kept, seed, servers, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
ROUNDS = int(os.environ.get("TOKENS_ROUNDS", 3))
USERS = int(os.environ.get("BENCH_USERS", 50))
# More than VerifiedTokens::kCapacity (512) per io thread, so none is remembered by its turn.
POOL = int(os.environ.get("TOKENS_POOL", 2000))
ALGORITHMS = ["HS256", "EdDSA", "ES256"]
CONNECTIONS, THREADS = 64, 2


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def access_pool(port, users):
    """POOL distinct access tokens: each user's session refreshed in turn (cheap, no hash)."""
    pairs = [seed.login(port, seed.user_email(i)) for i in range(users)]
    tokens = []
    while len(tokens) < POOL:
        for i, pair in enumerate(pairs):
            pairs[i] = seed.post_json(port, "/auth/refresh", {"refresh_token": pair["refresh_token"]})
            tokens.append(pairs[i]["access_token"])
    return tokens[:POOL]


def start(binary, workdir, alg):
    g = servers.Gatehouse(binary, f"sqlite:///{os.path.join(workdir, alg + '.db')}", workdir, alg)
    g.env["JWT_ALGORITHM"] = alg
    g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    g.start()
    seeded = seed.seed(g.port, USERS, 0)
    pool_file = os.path.join(workdir, f"{alg}.access")
    with open(pool_file, "w") as f:
        f.write("\n".join(access_pool(g.port, USERS)) + "\n")
    return g, seeded.user_access, pool_file


def measure(port, token=None, pool_file=None):
    if pool_file:
        return wrk.run(port, "/users/me", "tokens.lua", SECONDS, THREADS, CONNECTIONS,
                       env_extra={"BENCH_ACCESS_FILE": pool_file})
    return wrk.run(port, "/users/me", "get.lua", SECONDS, THREADS, CONNECTIONS,
                   [f"Authorization: Bearer {token}"])


def run_rounds(nginx, started):
    cases = [("nginx", lambda: wrk.run(nginx.port, "/health/live", "get.lua", SECONDS, THREADS,
                                       CONNECTIONS))]
    for alg, (g, token, pool_file) in started.items():
        cases.append((f"{alg} same", lambda g=g, t=token: measure(g.port, token=t)))
        cases.append((f"{alg} pool", lambda g=g, p=pool_file: measure(g.port, pool_file=p)))
    rounds = []
    for i in range(ROUNDS):
        order = cases if i % 2 == 0 else list(reversed(cases))
        got = {}
        for name, run in order:
            got[name] = run()
            log(f"  round {i + 1} {name}: {got[name]['rps']:,.0f} req/s, {got[name]['errors']} errors")
        rounds.append(got)
    return rounds


def median(rounds, name, key="rps"):
    return statistics.median(r[name][key] for r in rounds)


def table(rounds):
    nginx = median(rounds, "nginx")
    hs_same, hs_pool = median(rounds, "HS256 same"), median(rounds, "HS256 pool")
    lines = ["| access token | one token, again and again: req/s | p99 | / HS256 | a new token each request: req/s | p99 | / HS256 | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for alg in ALGORITHMS:
        same, pool = median(rounds, f"{alg} same"), median(rounds, f"{alg} pool")
        errors = sum(r[f"{alg} {k}"]["errors"] for r in rounds for k in ("same", "pool"))
        lines.append(f"| {alg} | {same:,.0f} | {median(rounds, f'{alg} same', 'p99_us') / 1000:.2f} ms | "
                     f"{same / hs_same:.2f} | {pool:,.0f} | {median(rounds, f'{alg} pool', 'p99_us') / 1000:.2f} ms | "
                     f"{pool / hs_pool:.2f} | {errors} |")
    lines.append(f"| nginx static `GET /health/live` (the ceiling) | {nginx:,.0f} | "
                 f"{median(rounds, 'nginx', 'p99_us') / 1000:.2f} ms | | | | | |")
    return "\n".join(lines)


def main():
    binary = os.path.abspath(sys.argv[1])
    stamp, commit = kept.stamp(), kept.commit()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="gh-bench-tokens-") as workdir:
        nginx = servers.Nginx(workdir)
        nginx.start()
        started = {}
        try:
            for alg in ALGORITHMS:
                log(f"gatehouse with JWT_ALGORITHM={alg}: {USERS} users, {POOL} access tokens")
                started[alg] = start(binary, workdir, alg)
            rounds = run_rounds(nginx, started)
        finally:
            for g, _, _ in started.values():
                g.stop()
            nginx.stop()
    head = (f"Run of {stamp} on commit {commit}, {os.cpu_count()} cores, load average "
            f"{load_start:.2f} at start and {os.getloadavg()[0]:.2f} at end; wrk -t{THREADS} "
            f"-c{CONNECTIONS}, {SECONDS} s per measurement, {ROUNDS} rounds in alternating order, "
            f"medians; SQLite, {USERS} users, a pool of {POOL} access tokens.")
    text = head + "\n\n" + table(rounds) + "\n"
    kept.write("tokens", stamp, text, {"rounds": rounds, "commit": commit})


if __name__ == "__main__":
    main()
