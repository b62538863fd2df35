"""bench/reset_timing's driver: does POST /auth/password-reset take the same time for an
address that has an account and one that has none? One gatehouse (SQLite), one keep-alive
connection, requests alternating between a known and an unknown address (so drift in the
machine's load falls on both alike), every one timed from send to answer. The worker runs
as in development (mails to the log, which is off here), and MAIL_PER_ACCOUNT_PER_HOUR is
raised so every request writes its outbox row: the limit would otherwise drop the rows of
both addresses alike after five. Prints the medians and quartiles and writes
bench/results/reset-timing-<time>.{md,json}. Not a test: the suite makes no timing claims."""
import datetime
import http.client
import json
import os
import statistics
import sys
import tempfile
import time

from . import seed, servers

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUESTS = int(os.environ.get("RESET_REQUESTS", 2000))  # per address


def timed_posts(port, addresses, n):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = {a: [] for a in addresses}
    for _ in range(n):
        for a in addresses:
            body = json.dumps({"email": a})
            start = time.perf_counter_ns()
            conn.request("POST", "/auth/password-reset", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            times[a].append((time.perf_counter_ns() - start) / 1000)
            assert r.status == 202, r.status
    conn.close()
    return times


def summary(samples):
    q = statistics.quantiles(samples, n=4)
    return {"median_us": round(statistics.median(samples), 1), "p25_us": round(q[0], 1),
            "p75_us": round(q[2], 1), "n": len(samples)}


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as workdir:
        g = servers.Gatehouse(binary, f"sqlite:///{os.path.join(workdir, 'reset.db')}", workdir, "gh")
        g.env.update(LOG_LEVEL="warn", MAIL_PER_ACCOUNT_PER_HOUR="1000", MAIL_POLL_MILLISECONDS="50")
        g.prepare(seed.ADMIN_EMAIL, seed.PASSWORD)
        g.start()
        try:
            known, unknown = seed.ADMIN_EMAIL, "nobody-at-all@example.com"
            timed_posts(g.port, [known, unknown], 100)  # warm up
            times = timed_posts(g.port, [known, unknown], REQUESTS)
        finally:
            g.stop()
    result = {"known": summary(times[known]), "unknown": summary(times[unknown])}
    result["median_ratio"] = round(result["known"]["median_us"] / result["unknown"]["median_us"], 3)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    rows = [f"| {k} | {v['median_us']} | {v['p25_us']} | {v['p75_us']} | {v['n']} |"
            for k, v in (("known address", result["known"]), ("unknown address", result["unknown"]))]
    table = "\n".join(["| POST /auth/password-reset | median µs | p25 µs | p75 µs | requests |",
                       "| --- | --- | --- | --- | --- |", *rows,
                       f"\nknown / unknown median: {result['median_ratio']}"])
    print(table)
    os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
    with open(os.path.join(BENCH, "results", f"reset-timing-{stamp}.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(BENCH, "results", f"reset-timing-{stamp}.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
