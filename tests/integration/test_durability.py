"""Crash safety: a 201 means committed. gatehouse is killed with SIGKILL in the middle of a
burst of registrations; after a restart every account that was answered 201 logs in."""
from __future__ import annotations

import threading
from collections import Counter

from client import PASSWORD, login, unique_email, wait_until


def test_every_registration_answered_201_survives_sigkill(make_server):
    srv = make_server()
    created: list[str] = []
    others: Counter = Counter()  # answers other than 201, for the failure message
    stop = threading.Event()

    def register_until_stopped() -> None:
        while not stop.is_set():
            email = unique_email("durable")
            try:
                r = srv.client.post("/auth/register", {"email": email, "password": PASSWORD}, timeout=30)
            except TimeoutError:
                others["timeout"] += 1  # a slow machine, not the end: keep going
                continue
            except OSError:
                return  # refused or reset: the server is gone
            if r.status == 201:
                created.append(email)
            else:
                others[r.status] += 1

    workers = [threading.Thread(target=register_until_stopped) for _ in range(8)]
    for w in workers:
        w.start()
    try:
        assert wait_until(lambda: len(created) >= 24, timeout=120), \
            f"only {len(created)} registrations; other answers: {dict(others)}\n{srv.log_text()}"
        srv.kill()  # SIGKILL while requests are in flight
    finally:
        stop.set()
        for w in workers:
            w.join()
    survivors = list(created)
    srv.start()
    for email in survivors:
        login(srv.client, email, PASSWORD)
