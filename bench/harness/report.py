"""The run's one table (markdown) and its verdict on each target: issue 7's (against the
reference app and nginx) and issue 21's (against the Fastify peer)."""

ENDPOINT_ROWS = ["GET /health/live", "GET /health", "GET /users/me", "GET /users/?limit=50",
                 "POST /auth/login", "POST /auth/refresh"]


def cell(r):
    if not r:
        return ""
    text = f"{r['rps']:,.0f} req/s, p50 {ms(r['p50_us'])}, p99 {ms(r['p99_us'])}"
    if r["errors"]:
        text += f" ({r['errors']} errors)"
    return text


def ms(us):
    return f"{us / 1000:.2f} ms" if us < 100_000 else f"{us / 1000:.0f} ms"


def ratio(a, b):
    if not a or not b or not b["rps"]:
        return None
    return a["rps"] / b["rps"]


def fmt_ratio(x):
    return "" if x is None else f"{x:.2f}x" if x < 10 else f"{x:.0f}x"


def table(results):
    """results: {"nginx": {...}, "gatehouse/sqlite": {"endpoints": {...}, ...}, ...}"""
    dbs = [db for db in ("sqlite", "postgres") if f"gatehouse/{db}" in results]
    head = ["endpoint", "nginx static"]
    fastify = any(f"fastify/{db}" in results for db in dbs)
    for db in dbs:
        name = "SQLite" if db == "sqlite" else "PostgreSQL"
        head += [f"gatehouse, {name}", f"gatehouse EdDSA, {name}", f"reference, {name}",
                 "gatehouse / reference"]
        if fastify:
            head += [f"Fastify, {name}", "gatehouse / Fastify (HS256, EdDSA)"]
    head.append("gatehouse (SQLite) / nginx")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    nginx = results.get("nginx", {}).get("endpoints", {})
    for ep in ENDPOINT_ROWS:
        row = [f"`{ep}`", cell(nginx.get(ep))]
        for db in dbs:
            g = results[f"gatehouse/{db}"]["endpoints"].get(ep)
            e = results.get(f"gatehouse-eddsa/{db}", {}).get("endpoints", {}).get(ep)
            p = results.get(f"reference/{db}", {}).get("endpoints", {}).get(ep)
            row += [cell(g), cell(e), cell(p), fmt_ratio(ratio(g, p))]
            if fastify:
                f = results.get(f"fastify/{db}", {}).get("endpoints", {}).get(ep)
                row += [cell(f), ", ".join(fmt_ratio(ratio(x, f)) or "-" for x in (g, e))]
        g = results.get("gatehouse/sqlite", {}).get("endpoints", {}).get(ep)
        row.append(fmt_ratio(ratio(g, nginx.get(ep))))
        lines.append("| " + " | ".join(row) + " |")
    row = ["peak RSS", rss(results.get("nginx"))]
    for db in dbs:
        row += [rss(results.get(f"gatehouse/{db}")), rss(results.get(f"gatehouse-eddsa/{db}")),
                rss(results.get(f"reference/{db}")), ""]
        if fastify:
            row += [rss(results.get(f"fastify/{db}")), ""]
    row.append("")
    lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def rss(r):
    return f"{r['peak_rss_mib']:.1f} MiB" if r and "peak_rss_mib" in r else ""


def check(name, ok, measured):
    return {"target": name, "holds": bool(ok), "measured": measured}


def two_at_once(results, login):
    """Login throughput against two verifies run at once, when the micro-benchmark has it."""
    pair_ms = results.get("micro", {}).get("argon2id_two_at_once_median_ms")
    if not pair_ms:
        return ""
    limit = 2 / (pair_ms / 1000.0)
    return (f"; two verifies at once take {pair_ms:.1f} ms, a limit of {limit:.1f} req/s: "
            f"{login['rps'] / limit:.2f}x of that")


def targets(results, cores):
    out = []
    nginx = results.get("nginx", {}).get("endpoints", {})
    for db, factor in (("sqlite", 50), ("postgres", 20)):
        g = results.get(f"gatehouse/{db}")
        p = results.get(f"reference/{db}")
        if not g:
            continue
        if db == "sqlite":
            ceiling = results.get("ceiling")
            if ceiling:
                x = ceiling["median_ratio"]
                rounds = ", ".join(f"{p['ratio']:.2f}" for p in ceiling["rounds"])
                measured = f"median {fmt_ratio(x)} nginx over alternating rounds ({rounds})"
            else:
                x = ratio(g["endpoints"].get("GET /health/live"), nginx.get("GET /health/live"))
                measured = fmt_ratio(x) + " nginx"
            out.append(check("GET /health/live >= 0.9 x nginx", x and x >= 0.9, measured))
        for ep in ("GET /health", "GET /users/me", "GET /users/?limit=50"):
            ge = g["endpoints"].get(ep)
            x = ratio(ge, p and p["endpoints"].get(ep))
            out.append(check(f"{ep} on {db} >= {factor}x reference", x and x >= factor,
                             fmt_ratio(x)))
            out.append(check(f"{ep} on {db}: p99 < 5 ms at 64 connections",
                             ge and ge["p99_us"] < 5000, ms(ge["p99_us"]) if ge else "n/a"))
        verify_ms = results.get("micro", {}).get("argon2id_verify_median_ms")
        login = g["endpoints"].get("POST /auth/login")
        if verify_ms and login:
            limit = cores / (verify_ms / 1000.0)
            out.append(check(f"POST /auth/login on {db} >= 0.9 x hashing limit",
                             login["rps"] >= 0.9 * limit,
                             f"{login['rps']:.1f} req/s vs limit {limit:.1f} "
                             f"({cores} cores / {verify_ms:.1f} ms) = "
                             f"{login['rps'] / limit:.2f}x" + two_at_once(results, login)))
        storm = g.get("login_storm")
        if storm:
            me = storm["users_me"]
            out.append(check(f"login storm on {db}: /users/me p99 < 5 ms",
                             me["p99_us"] < 5000 and me["errors"] == 0,
                             f"p99 {ms(me['p99_us'])}, {me['rps']:,.0f} req/s beside "
                             f"{storm['login']['rps']:.1f} logins/s"))
        out.append(check(f"peak RSS on {db} < 64 MiB", g["peak_rss_mib"] < 64,
                         f"{g['peak_rss_mib']:.1f} MiB"))
        idle = g.get("idle")
        if idle:
            n = idle["connections"]
            out.append(check(f"{n} idle keep-alive connections held ({db})",
                             idle["answered_first"] == n and idle["answered_after_idle"] == n,
                             f"{idle['answered_first']} / {idle['answered_after_idle']} of {n} "
                             f"answered before / after {idle['held_seconds']} s idle, "
                             f"RSS {idle['rss_mib_while_held']} MiB"))
        start = g.get("startup")
        if start:
            out.append(check(f"start to first answer < 50 ms ({db})",
                             start["median_ms"] < 50, f"median {start['median_ms']:.1f} ms"))
    return out + fastify_targets(results)


# Issue 21: what a Node.js team would build, against gatehouse with every part-two feature on
# (main.PART_TWO), with HS256 and with EdDSA access tokens.
FASTIFY_FACTORS = (("GET /health", 3), ("GET /users/me", 3), ("GET /users/?limit=50", 2),
                   ("POST /auth/login", 1.3))


def fastify_targets(results):
    out = []
    for db, alg in (("sqlite", ""), ("sqlite", "eddsa"), ("postgres", ""), ("postgres", "eddsa")):
        g = results.get(f"gatehouse-{alg}/{db}" if alg else f"gatehouse/{db}")
        f = results.get(f"fastify/{db}")
        if not g or not f:
            continue
        tokens = "EdDSA" if alg else "HS256"
        for ep, factor in FASTIFY_FACTORS:
            ge = g["endpoints"].get(ep)
            x = ratio(ge, f["endpoints"].get(ep))
            clean = ge is not None and ge["errors"] == 0 and ge.get("non_2xx", 0) == 0
            out.append(check(f"{ep} on {db} ({tokens}) >= {factor}x Fastify" +
                             (", no non-2xx" if "login" in ep else ""),
                             x and x >= factor and (clean or "login" not in ep), fmt_ratio(x)))
        r = g["endpoints"].get("POST /auth/refresh")
        if r:
            spread = r["p99_us"] / max(r["p50_us"], 1)
            out.append(check(f"POST /auth/refresh on {db} ({tokens}): p99 < 5 x p50", spread < 5,
                             f"p50 {ms(r['p50_us'])}, p99 {ms(r['p99_us'])} = {spread:.1f}x"))
    return out


def targets_markdown(checks):
    return "\n".join(f"- {'holds' if c['holds'] else 'MISSED'}: {c['target']} "
                     f"({c['measured']})" for c in checks)
