"""Measurements beyond throughput: start-up time, idle keep-alive connections, and
/users/me latency while a login storm runs."""
import resource
import selectors
import socket
import statistics
import time

from . import procs, wrk


def startup_ms(server, runs=5):
    """Median time from spawning `gatehouse serve` to its first answered request."""
    times = []
    for _ in range(runs):
        t0 = time.monotonic()
        proc = server.spawn()
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("gatehouse exited during start-up")
                try:
                    if procs.http_get(server.port, "/health/live", timeout=1.0)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.001)
            times.append((time.monotonic() - t0) * 1000.0)
        finally:
            procs.stop(proc)
    return {"median_ms": statistics.median(times), "runs_ms": [round(t, 1) for t in times]}


REQUEST = b"GET /health/live HTTP/1.1\r\nHost: bench\r\n\r\n"


def _answer_all(socks, timeout):
    """Sends one request on every socket and waits for every answer; returns the number
    of sockets that got a complete 200."""
    sel = selectors.DefaultSelector()
    pending = {}
    for s in socks:
        s.sendall(REQUEST)
        sel.register(s, selectors.EVENT_READ)
        pending[s] = b""
    ok = 0
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1.0):
            s = key.fileobj
            try:
                chunk = s.recv(4096)
            except OSError:
                chunk = b""
            buf = pending[s] + chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            if not chunk or (sep and _complete(head, body)):
                sel.unregister(s)
                del pending[s]
                ok += bool(chunk) and head.startswith(b"HTTP/1.1 200")
            else:
                pending[s] = buf
    sel.close()
    return ok


def _complete(head, body):
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return True


def idle_connections(server, count, hold_seconds=5):
    """Opens `count` keep-alive connections, one request each, holds them idle, then asks
    again on every one: all must answer both times."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 1024)), hard))
    socks = []
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            socks.append(s)
        first = _answer_all(socks, timeout=60)
        time.sleep(hold_seconds)
        rss = procs.status_kib(server.proc.pid, "VmRSS") / 1024.0
        second = _answer_all(socks, timeout=60)
        return {"connections": count, "answered_first": first, "answered_after_idle": second,
                "held_seconds": hold_seconds, "rss_mib_while_held": round(rss, 1)}
    finally:
        for s in socks:
            s.close()


def login_storm(server, seeded, seconds, env_extra):
    """32 connections hammer /auth/login while 32 others read /users/me."""
    storm = wrk.start(server.port, "/auth/login", "login.lua", seconds, threads=1,
                      connections=32, env_extra=env_extra)
    time.sleep(0.5)  # let the hash queue fill up first
    reads = wrk.run(server.port, "/users/me", "get.lua", max(1, seconds - 1), threads=1,
                    connections=32, headers=[f"Authorization: Bearer {seeded.user_access}"])
    return {"login": wrk.finish(storm), "users_me": reads}
