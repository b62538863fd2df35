"""Two instances on one PostgreSQL agree on a key rotation within KEYS_REFRESH_SECONDS (this
file runs only in the postgres run): a key made and activated on one is published and signs
on the other, and a key revoked on one is refused by the other. The bound each wait allows
is the interval plus slack for a loaded machine: a liveness bound, not a speed claim."""
from __future__ import annotations

import re

from client import PASSWORD, jwt_parts, login, register, wait_until

REFRESH = 2
SLACK = 5.0


def kid(token: str) -> str:
    return jwt_parts(token)[0]["kid"]


def published(srv) -> list[str]:
    return [k["kid"] for k in srv.client.get("/.well-known/jwks.json").json["keys"]]


def gauge(srv, state: str) -> int:
    text = srv.client.get("/metrics").body.decode()
    m = re.search(r'^gatehouse_signing_keys\{state="' + state + r'"\} (\d+)$', text, re.M)
    assert m, text
    return int(m.group(1))


def test_two_instances_agree_on_a_rotation_within_the_refresh_interval(make_server):
    a = make_server(JWT_ALGORITHM="EdDSA", KEYS_REFRESH_SECONDS=REFRESH)
    b = make_server(migrate=False, JWT_ALGORITHM="EdDSA", KEYS_REFRESH_SECONDS=REFRESH,
                    DATABASE_URL=a.database_url)
    admin = a.make_admin()
    user = register(b.client)
    first_kid = kid(user.access)
    assert published(a) == published(b) == [first_kid], "the first start made one key, shared"
    assert a.client.get("/users/me", token=user.access).status == 200

    # A key made on A (of the other algorithm) is published by B.
    made = a.client.post("/admin/keys", {"alg": "ES256"}, token=admin.access)
    assert made.status == 201, made
    new_kid = made.json["kid"]
    assert wait_until(lambda: new_kid in published(b), timeout=REFRESH + SLACK), published(b)

    # Activated on A, it signs on B; a token from either verifies on both.
    assert a.client.post(f"/admin/keys/{new_kid}/activate?force=true", token=admin.access).status == 200
    assert wait_until(lambda: kid(login(b.client, user.email, PASSWORD).access) == new_kid,
                      timeout=REFRESH + SLACK, interval=0.3)
    fresh = login(b.client, user.email, PASSWORD)
    assert jwt_parts(fresh.access)[0]["alg"] == "ES256"
    assert a.client.get("/users/me", token=fresh.access).status == 200

    # Revoked on A (forced: it signed moments ago), its tokens are refused by B too.
    assert a.client.post(f"/admin/keys/{first_kid}/revoke?force=true", token=admin.access).status == 200
    assert a.client.get("/users/me", token=user.access).status == 401
    assert wait_until(lambda: b.client.get("/users/me", token=user.access).status == 401,
                      timeout=REFRESH + SLACK, interval=0.2)
    assert published(b) == [new_kid]
    assert b.client.get("/users/me", token=fresh.access).status == 200
    assert wait_until(lambda: gauge(b, "revoked") == 1, timeout=REFRESH + SLACK)
    assert gauge(b, "active") == 1


def test_activations_at_once_leave_one_active_key_and_no_error(make_server):
    """Two activations racing on PostgreSQL: the one-active index refuses the loser's key,
    which then retries from a fresh read; neither answers 500."""
    from concurrent.futures import ThreadPoolExecutor

    srv = make_server(JWT_ALGORITHM="EdDSA")
    admin = srv.make_admin()
    for _ in range(4):
        kids = [srv.client.post("/admin/keys", {"alg": "EdDSA"}, token=admin.access).json["kid"]
                for _ in range(2)]
        with ThreadPoolExecutor(2) as pool:
            statuses = list(pool.map(
                lambda k: srv.client.post(f"/admin/keys/{k}/activate?force=true", token=admin.access).status,
                kids))
        assert statuses == [200, 200], statuses
        states = [k["state"] for k in srv.client.get("/admin/keys", token=admin.access).json]
        assert states.count("active") == 1, states
