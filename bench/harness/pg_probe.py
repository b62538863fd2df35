"""A closer look at gatehouse on PostgreSQL than bench/run's table gives: for each chosen
phase, wrk's figures and where the CPU went (gatehouse, the PostgreSQL server processes,
wrk), so that a tail can be told apart from a lack of CPU.

    python3 -m bench.harness.pg_probe build-bench/gatehouse [me] [list] [storm]

Server settings come from the environment (DB_POOL_SIZE=4 ... python3 -m ...);
BENCH_PROBE_DB=sqlite looks at the embedded SQLite backend instead."""
import os
import resource
import sys
import tempfile
import time

from . import postgres, probes, procs, seed, servers, wrk
from .main import CONNECTIONS, REPO, SPARE_TOKENS, THREADS, setting

SECONDS = setting("BENCH_SECONDS", 5)
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def children_cpu_seconds():
    """CPU seconds of the child processes waited for so far: wrk's, after each run."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_pids(cluster):
    """The postmaster (first line of its pid file) and every server process it forked."""
    if cluster is None:
        return []
    with open(os.path.join(cluster.vars["GATEHOUSE_TEST_PG_DATA"], "postmaster.pid")) as f:
        return procs.descendants(int(f.readline()))


def phase(name, g, seeded, env):
    """(wrk figures, CPU seconds of gatehouse, PostgreSQL, wrk) for one phase."""
    user = [f"Authorization: Bearer {seeded.user_access}"]
    admin = [f"Authorization: Bearer {seeded.admin_access}"]
    pg = postgres_pids(g.cluster)
    before = (cpu_seconds([g.proc.pid]), cpu_seconds(pg), children_cpu_seconds(),
              time.monotonic())
    if name == "storm":
        result = probes.login_storm(g, seeded, SECONDS, env)
        figures = {"users_me": result["users_me"], "logins": result["login"]["requests"]}
    else:
        path, headers = ("/users/me", user) if name == "me" else ("/users/?limit=50", admin)
        figures = wrk.run(g.port, path, "get.lua", SECONDS, THREADS, CONNECTIONS, headers, env)
    elapsed = time.monotonic() - before[3]
    pg = set(pg) | set(postgres_pids(g.cluster))
    used = (cpu_seconds([g.proc.pid]) - before[0], cpu_seconds(pg) - before[1],
            children_cpu_seconds() - before[2])
    return figures, [round(u / elapsed, 2) for u in used]


def show(name, figures, cores):
    reads = figures.get("users_me", figures)
    print(f"{name}: {reads['rps']:,.0f} req/s, p50 {reads['p50_us'] / 1000:.2f} ms, "
          f"p99 {reads['p99_us'] / 1000:.2f} ms"
          + (f", {figures['logins']} logins" if "logins" in figures else "")
          + f"; cores used: gatehouse {cores[0]}, postgres {cores[1]}, wrk {cores[2]}", flush=True)


def main():
    binary, names = os.path.abspath(sys.argv[1]), sys.argv[2:] or ["me", "list", "storm"]
    workdir = tempfile.mkdtemp(prefix="gatehouse-pg-probe.")
    sqlite = os.environ.get("BENCH_PROBE_DB") == "sqlite"
    cluster = None if sqlite else postgres.Cluster(
        os.path.join(REPO, "scripts/pg-test-cluster"), workdir)
    if cluster:
        cluster.start()
    try:
        if cluster:
            cluster.create_database("gatehouse")
        url = f"sqlite:///{workdir}/probe.db" if sqlite else cluster.url("gatehouse")
        g = servers.Gatehouse(binary, url, workdir, "gatehouse")
        g.cluster = cluster
        g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
        g.start()
        try:
            seeded = seed.seed(g.port, 50, CONNECTIONS + SPARE_TOKENS)
            seeded.admin_access = seed.admin_token(g.port)
            env = {"BENCH_USERS": "50", "BENCH_PASSWORD": seed.PASSWORD}
            wrk.run(g.port, "/health", "get.lua", 2, THREADS, CONNECTIONS)
            for name in names:
                show(name, *phase(name, g, seeded, env))
        finally:
            g.stop()
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
