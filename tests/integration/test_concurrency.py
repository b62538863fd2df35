"""Races the database must settle the same way on both backends: one refresh token spent
twice at the same moment, one email registered fifty times at once. A barrier releases
the requests together so they really overlap in the server."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from client import PASSWORD, Resp, assert_error, login, register, unique_email


def run_together(n: int, request: Callable[[int], Resp]) -> list[Resp]:
    barrier = threading.Barrier(n)

    def go(i: int) -> Resp:
        barrier.wait()
        return request(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(go, range(n)))


def test_two_concurrent_refreshes_of_one_token_give_exactly_one_200(client):
    for _ in range(5):
        acc = register(client)
        rs = run_together(2, lambda _: client.post("/auth/refresh", {"refresh_token": acc.refresh}))
        assert sorted(r.status for r in rs) == [200, 401], rs
        assert_error(next(r for r in rs if r.status == 401), 401, "INVALID_TOKEN")


def test_fifty_concurrent_registrations_of_one_email_give_one_201(make_server):
    srv = make_server(PASSWORD_HASH_QUEUE=128)
    email = unique_email("fifty")
    rs = run_together(50, lambda i: srv.client.post(
        "/auth/register", {"email": email if i % 2 else email.upper(), "password": PASSWORD},
        timeout=60))
    statuses = [r.status for r in rs]
    assert statuses.count(201) == 1, statuses
    for r in rs:
        if r.status != 201:
            assert_error(r, 409, "EMAIL_TAKEN")
    login(srv.client, email, PASSWORD)  # the one account exists and works
