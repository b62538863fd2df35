"""bench/scale --purge: the background session purge at the large size (1,000,000 users and
10,000,000 sessions, about 97% of them ended), on SQLite and on PostgreSQL. For each
database, after one seed, rounds of `POST /auth/refresh` then `POST /auth/login`, each
round on a fresh `gatehouse serve`, alternating:

  off   the purge in service but with nothing to do (SESSION_RETENTION_DAYS=3650);
  on    SESSION_RETENTION_DAYS=SCALE_PURGE_RETENTION_DAYS (30, the default: about 90% of
        the table qualifies) and SESSION_PURGE_INTERVAL_SECONDS=1, measured once /metrics
        shows the purge deleting; the counter is read around each endpoint, so each window
        says how many rows went meanwhile.

off, on, off, on, off (SCALE_PURGE_ROUNDS on rounds, each between two off rounds): the
machine is shared, and alternating keeps a drift of the machine from passing for the
purge's doing. After the last on round's endpoints the purge is watched alone for
SCALE_PURGE_WATCH_SECONDS: its rate without load, and the time of its whole first run if
that ends (the last-success gauge).
Results: bench/results/scale-purge-<UTC time>.{md,json}. See bench/README.md."""
import datetime
import http.client
import json
import os
import sqlite3
import sys
import tempfile
import time

from . import postgres, scale_seed, seed, servers, wrk
from .main import REPO, git_commit, setting
from .scale import write_lines

SECONDS = setting("BENCH_SECONDS", 5)
WARMUP = setting("BENCH_WARMUP_SECONDS", 1)
USERS = setting("SCALE_LARGE_USERS", 1_000_000)
SESSIONS = setting("SCALE_LARGE_SESSIONS", 10_000_000)
RETENTION_DAYS = setting("SCALE_PURGE_RETENTION_DAYS", 30)
WATCH = setting("SCALE_PURGE_WATCH_SECONDS", 20)
ROUNDS = setting("SCALE_PURGE_ROUNDS", 2)
DATABASES = os.environ.get("SCALE_DATABASES", "sqlite,postgres").split(",")
THREADS, CONNECTIONS, LOGIN_CONNECTIONS = 2, 32, 16
NOTHING_QUALIFIES_DAYS = 3650  # the seed's sessions all began within the last year
DAY_US = 86_400 * 1_000_000

PURGED = "gatehouse_sessions_purged_total"
LAST_SUCCESS = "gatehouse_session_purge_last_success_timestamp_seconds"


def log(msg):
    print(f"bench/scale --purge: {msg}", file=sys.stderr, flush=True)


def purge_metrics(port):
    """(rows purged so far, last success in Unix seconds, when it was read)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in (PURGED, LAST_SUCCESS):
            values[name] = float(value)
    return int(values[PURGED]), values[LAST_SUCCESS], time.time()


def window(before, after):
    rows = after[0] - before[0]
    return {"rows": rows, "seconds": round(after[2] - before[2], 2),
            "rows_per_s": round(rows / max(after[2] - before[2], 1e-3), 1)}


def wait_for_purge(port, limit_s=60):
    """Waits until the purge has deleted its first batch (the first run starts one interval
    after the start)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if purge_metrics(port)[0] > 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the purge deleted nothing in {limit_s} s")


def endpoints(g, workdir, tag, watch_purge):
    """POST /auth/refresh then POST /auth/login, BENCH_SECONDS each; with watch_purge, the
    purge counter around each."""
    pairs = [seed.login(g.port, seed.user_email(i)) for i in range(CONNECTIONS + 16)]
    refresh_file = os.path.join(workdir, f"{tag}.refresh")
    write_lines(refresh_file, [p["refresh_token"] for p in pairs])
    wrk.run(g.port, "/health", "get.lua", WARMUP, THREADS, CONNECTIONS)
    env = {"BENCH_USERS": str(scale_seed.login_users(USERS)), "BENCH_PASSWORD": seed.PASSWORD,
           "BENCH_TOKENS_FILE": refresh_file}
    out = {}
    for row, script, conns in (("POST /auth/refresh", "refresh.lua", CONNECTIONS),
                               ("POST /auth/login", "login.lua", LOGIN_CONNECTIONS)):
        before = purge_metrics(g.port)
        out[row] = wrk.run(g.port, row.split()[1], script, SECONDS, THREADS, conns, [], env)
        after = purge_metrics(g.port)
        if watch_purge:
            out[row]["purge"] = window(before, after)
            if out[row]["purge"]["rows"] <= 0:
                raise RuntimeError(f"{row}: the purge deleted nothing while it was measured")
        log(f"  {tag} {row}: {out[row]['rps']:,.0f} req/s, p99 {out[row]['p99_us'] / 1000:.2f} ms"
            + (f", purge {out[row]['purge']['rows_per_s']:,.0f} rows/s" if watch_purge else ""))
    return out


def watch(g, started):
    """The purge alone for WATCH seconds, or until its run ends."""
    first = purge_metrics(g.port)
    last = first
    deadline = time.monotonic() + WATCH
    while time.monotonic() < deadline and last[1] == 0:
        time.sleep(1)
        last = purge_metrics(g.port)
    out = {"alone": window(first, last), "purged_by_server": last[0],
           "finished": last[1] > 0}
    if last[1] > 0:
        out["run_seconds"] = round(last[1] - started, 1)  # the gauge has whole seconds
    return out


class Database:
    """The seeded database of one dialect: its URL and how to count sessions in it."""

    def __init__(self, kind, workdir, cluster=None):
        self.kind, self.cluster = kind, cluster
        if kind == "sqlite":
            self.path = os.path.join(workdir, "scale-purge.db")
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = "scale_purge"
            cluster.create_database(self.name)
            self.url = cluster.url(self.name)

    def seed(self):
        if self.kind == "sqlite":
            scale_seed.seed_sqlite(self.path, USERS, SESSIONS, 0, servers.BENCH_SECRET)
        else:
            scale_seed.seed_postgres(self.cluster, self.name, USERS, SESSIONS, 0,
                                     servers.BENCH_SECRET)

    def counts(self, retention_days):
        """(sessions, of which ended more than retention_days ago), as the purge decides."""
        cutoff_us = int(time.time() * 1_000_000) - retention_days * DAY_US
        sql = ("SELECT count(*), count(*) FILTER (WHERE revoked_at < {c} OR expires_at < {c}) "
               "FROM sessions")
        if self.kind == "sqlite":
            db = sqlite3.connect(self.path)
            try:
                return tuple(db.execute(sql.format(c=":c"), {"c": cutoff_us}).fetchone())
            finally:
                db.close()
        cutoff = f"(timestamptz 'epoch' + {cutoff_us} * interval '1 microsecond')"
        return tuple(int(v) for v in self.cluster.query(self.name, sql.format(c=cutoff))[0])


def serve(binary, db, workdir, tag, retention_days):
    g = servers.Gatehouse(binary, db.url, workdir, f"gatehouse-{tag}")
    g.env.update(SESSION_RETENTION_DAYS=str(retention_days), SESSION_PURGE_INTERVAL_SECONDS="1")
    return g


def one_database(binary, db, workdir):
    first = serve(binary, db, workdir, f"{db.kind}-off", NOTHING_QUALIFIES_DAYS)
    first.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
    started = time.monotonic()
    db.seed()
    # The seed leaves gigabytes of dirty pages (SQLite's WAL is checkpointed into the file
    # as the seed closes it): written back in the first round, they would weigh on it.
    os.sync()
    out = {"users": USERS, "sessions": SESSIONS, "seed_seconds": round(time.monotonic() - started, 1),
           "retention_days": RETENTION_DAYS}
    total, due = db.counts(RETENTION_DAYS)
    out["before"] = {"sessions": total, "due": due}
    log(f"{db.kind}: seeded in {out['seed_seconds']:.0f} s; {due:,} of {total:,} sessions ended "
        f"more than {RETENTION_DAYS} days ago")
    rounds = []
    plan = [("off", NOTHING_QUALIFIES_DAYS)] + [("on", RETENTION_DAYS),
                                                ("off", NOTHING_QUALIFIES_DAYS)] * ROUNDS
    for n, (label, days) in enumerate(plan):
        g = first if n == 0 else serve(binary, db, workdir, f"{db.kind}-{label}{n}", days)
        started = time.time()
        g.start()
        try:
            if label == "on":
                wait_for_purge(g.port)
            r = {"purge": label, "endpoints": endpoints(g, workdir, f"{db.kind}-{n}", label == "on")}
            if label == "on" and n == len(plan) - 2:
                r.update(watch(g, started))
            elif label == "off" and purge_metrics(g.port)[0] != 0:
                raise RuntimeError("the purge deleted rows with nothing due")
        finally:
            g.stop()
        rounds.append(r)
    out["rounds"] = rounds
    total, due = db.counts(RETENTION_DAYS)
    out["after"] = {"sessions": total, "due": due}
    return out


def bench(binary, kind, workdir):
    if kind == "sqlite":
        return one_database(binary, Database("sqlite", workdir), workdir)
    cluster = postgres.Cluster(os.path.join(REPO, "scripts/pg-test-cluster"), workdir)
    cluster.start()
    try:
        return one_database(binary, Database("postgres", workdir, cluster), workdir)
    finally:
        cluster.stop()


# --- the report ----------------------------------------------------------------------------

def ms(us):
    return f"{us / 1000:.2f} ms" if us < 100_000 else f"{us / 1000:.0f} ms"


def rate(r):
    text = f"{r['rps']:,.0f}"
    return text + (f" ({r['errors']} errors)" if r["errors"] else "")


FLAT = 1.5  # the p99 with the purge running, at most this times the p99 without


def of(result, label):
    return [r for r in result["rounds"] if r["purge"] == label]


def mean(result, label, row, key):
    rounds = of(result, label)
    return sum(r["endpoints"][row][key] for r in rounds) / len(rounds)


def table(result):
    """Each endpoint's mean over the off rounds and over the on rounds."""
    lines = ["| endpoint | req/s off | req/s on | ratio on/off | p99 off | p99 on | "
             "ratio p99 on/off | purge meanwhile |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in result["rounds"][0]["endpoints"]:
        rps = [mean(result, label, row, "rps") for label in ("off", "on")]
        p99 = [mean(result, label, row, "p99_us") for label in ("off", "on")]
        windows = [r["endpoints"][row]["purge"] for r in of(result, "on")]
        rows = sum(w["rows"] for w in windows)
        seconds = sum(w["seconds"] for w in windows)
        lines.append(f"| `{row}` | {rps[0]:,.0f} | {rps[1]:,.0f} | {rps[1] / rps[0]:.2f} | "
                     f"{ms(p99[0])} | {ms(p99[1])} | {p99[1] / p99[0]:.2f} | "
                     f"{rows / seconds:,.0f} rows/s ({rows:,} rows in {seconds:.1f} s) |")
    return "\n".join(lines)


def every_round(result):
    """Each round's own figures, in the order they ran: the spread of the means above."""
    rows = list(result["rounds"][0]["endpoints"])
    lines = ["| round | " + " | ".join(f"`{r}` req/s, p99" for r in rows) + " |",
             "| --- |" + " ---: |" * len(rows)]
    for n, r in enumerate(result["rounds"]):
        cells = []
        for row in rows:
            e = r["endpoints"][row]
            cells.append(f"{rate(e)}, {ms(e['p99_us'])}"
                         + (f" ({e['purge']['rows']:,} rows purged)" if "purge" in e else ""))
        lines.append(f"| {n + 1}: purge {r['purge']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(result):
    out = []
    for row in result["rounds"][0]["endpoints"]:
        ratio = mean(result, "on", row, "p99_us") / mean(result, "off", row, "p99_us")
        out.append(f"- {'holds' if ratio <= FLAT else 'MISSED'}: `{row}` p99 with the purge "
                   f"running <= {FLAT} x without ({ratio:.2f})")
    return out


def duration(seconds):
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def summary(result):
    on = [r for r in result["rounds"] if "alone" in r][0]
    alone = on["alone"]
    before, after = result["before"], result["after"]
    text = (f"The purge alone afterwards: {alone['rows_per_s']:,.0f} rows/s ({alone['rows']:,} "
            f"rows in {alone['seconds']:.0f} s). ")
    if on["finished"]:
        text += (f"Its first run ended {on['run_seconds']:.0f} s after the start, "
                 f"{on['purged_by_server']:,} rows in all.")
    else:
        left = after["due"]
        eta = duration(left / alone["rows_per_s"]) if alone["rows_per_s"] else "for ever"
        text += (f"It had not finished when the server stopped: {on['purged_by_server']:,} rows "
                 f"deleted, {left:,} still due, about {eta} more at that rate.")
    return (f"{before['due']:,} of {before['sessions']:,} sessions ended more than "
            f"{result['retention_days']} days ago before the first purge round; {after['due']:,} "
            f"of {after['sessions']:,} after the last. " + text)


def markdown(results):
    c = results["conditions"]
    md = [f"Run of {c['started_utc']} on commit {c['commit']}, {c['cores']} cores (shared), "
          f"load average {c['loadavg_at_start'][0]:.2f} at start and "
          f"{c['loadavg_at_end'][0]:.2f} at end; wrk {c['wrk']}.", ""]
    for name, key in (("SQLite", "sqlite"), ("PostgreSQL", "postgres")):
        if key not in results:
            continue
        r = results[key]
        md += [f"### {name}: {r['users']:,} users and {r['sessions']:,} sessions, the purge "
               f"off and on (`SESSION_RETENTION_DAYS={r['retention_days']}`, every second)",
               "", f"Seeded in {r['seed_seconds']:.0f} s.", "", table(r), "", summary(r), "", *verdicts(r), "", "Every round:", "",
               every_round(r), ""]
    return "\n".join(md)


def main():
    if sys.argv[1].endswith(".json"):  # a run's .md again, from its JSON file
        with open(sys.argv[1]) as f:
            text = markdown(json.load(f))
        with open(sys.argv[1][:-len(".json")] + ".md", "w") as f:
            f.write(text)
        print(text)
        return
    binary = os.path.abspath(sys.argv[1])
    started = datetime.datetime.now(datetime.timezone.utc)
    results = {"conditions": {
        "started_utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"), "cores": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(), "commit": git_commit(),
        "wrk": f"-t{THREADS} -c{CONNECTIONS} (login -c{LOGIN_CONNECTIONS}), {SECONDS} s per "
               f"endpoint, {WARMUP} s warm-up"}}
    with tempfile.TemporaryDirectory(prefix="gatehouse-scale-purge-") as workdir:
        for kind in DATABASES:
            log(kind)
            results[kind] = bench(binary, kind, workdir)
    results["conditions"]["loadavg_at_end"] = os.getloadavg()
    out_dir = os.path.join(REPO, "bench", "results")
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, "scale-purge-" + started.strftime("%Y%m%dT%H%M%SZ"))
    with open(stem + ".json", "w") as f:
        json.dump(results, f, indent=2)
    text = markdown(results)
    with open(stem + ".md", "w") as f:
        f.write(text)
    print(text)
    log(f"results in bench/results/{os.path.basename(stem)}.{{md,json}}")


if __name__ == "__main__":
    main()
