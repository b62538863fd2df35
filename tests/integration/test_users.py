"""/users: profile, admin listing, lookup, PATCH, DELETE, stats, last-admin protection.
The first two tests are the reference guide's (section 8) tests/test_users.py."""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from client import (
    PASSWORD, assert_error, assert_no_content, assert_tokens, assert_user_out, jwt_claims, login,
    parse_time, register, unique_email,
)


# ------------------------------------------------------------- reference guide tests


def test_get_me(client):
    email = unique_email()
    reg = client.post("/auth/register", {"email": email, "password": PASSWORD})
    token = assert_tokens(reg, 201)["access_token"]
    resp = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 200, resp
    assert resp.json["email"] == email


def test_list_users_forbidden(client):
    reg = client.post("/auth/register", {"email": unique_email(), "password": PASSWORD})
    token = assert_tokens(reg, 201)["access_token"]
    resp = client.get("/users/", headers={"Authorization": f"Bearer {token}"})
    assert_error(resp, 403, "FORBIDDEN")


# ------------------------------------------------------------------- helpers


def list_all(client, admin) -> tuple[list[dict], int]:
    users, skip, total = [], 0, None
    while True:
        r = client.get(f"/users/?skip={skip}&limit=100", token=admin.access)
        assert r.status == 200, r
        page_total = int(r.headers["x-total-count"])
        total = page_total if total is None else total
        assert page_total == total, "X-Total-Count changed while paging with no writes"
        users += r.json
        if len(r.json) < 100:
            break
        skip += 100
    assert len(users) == total, (len(users), total)
    return users, total


def admin_get(client, admin, user_id) -> dict:
    r = client.get(f"/users/{user_id}", token=admin.access)
    assert r.status == 200, r
    return r.json


# ------------------------------------------------------------------- /users/me


def test_me_is_a_full_user_out(client):
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    acc = register(client)
    r = client.get("/users/me", token=acc.access)
    assert r.status == 200, r
    assert r.headers.get("content-type", "").startswith("application/json"), r
    u = assert_user_out(r.json, email=acc.email, role="user", is_active=True)
    assert u["id"] == acc.id
    created = parse_time(u["created_at"])
    assert before <= created <= datetime.now(timezone.utc) + timedelta(seconds=5), u
    assert "password" not in r.body.decode().lower() and "argon" not in r.body.decode().lower(), r


def test_me_requires_authentication(client):
    r = client.get("/users/me")
    assert_error(r, 401, "NOT_AUTHENTICATED")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer"), r
    assert_error(client.get("/users/me", token="nonsense"), 401, "INVALID_TOKEN")


def test_ids_are_time_ordered_uuid7(client):
    a = register(client)
    b = register(client)
    assert uuid.UUID(a.id).version == 7 and uuid.UUID(b.id).version == 7
    assert a.id < b.id, "UUIDv7 ids of users created one after the other must sort by creation"


# ------------------------------------------------------------------- admin routes: who may call


@pytest.fixture
def plain_user(client):
    return register(client)


def documented_operations(client):
    """(method, path template, access) of every operation the OpenAPI document declares: the
    table the server itself builds its router from, not a list kept by hand."""
    doc = client.get("/openapi.json").json
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "patch", "delete", "put"):
                continue
            access = ("admin" if "of an admin" in op.get("description", "")
                      else "user" if op.get("security") else "anyone")
            yield method.upper(), path, access


# Enough to pass any body decoder, and a self-promotion if it ever reached a handler.
SELF_PROMOTION = {"role": "admin", "is_active": True}


def test_the_document_declares_the_admin_routes(client):
    admin = {(m, p) for m, p, a in documented_operations(client) if a == "admin"}
    # The part-one routes a plain user must never reach, at least.
    assert {("GET", "/users/"), ("GET", "/users/stats"), ("GET", "/users/{id}"),
            ("PATCH", "/users/{id}"), ("DELETE", "/users/{id}")} <= admin, admin


def own_path(template: str, user) -> str:
    """A documented path aimed at `user` and their own session (and, for a key route, a kid
    that names no key: the refusal must come before any lookup)."""
    return template.format(id=user.id, sid=jwt_claims(user.access)["sid"], kid="no-such-key")


def test_admin_routes_forbid_plain_users(client, plain_user):
    for method, path, access in documented_operations(client):
        if access != "admin":
            continue
        r = client.request(method, own_path(path, plain_user), json=SELF_PROMOTION,
                           token=plain_user.access)
        assert_error(r, 403, "FORBIDDEN")
    # The user's own record is untouched (no self-promotion, no self-delete).
    me = client.get("/users/me", token=plain_user.access)
    assert me.status == 200 and me.json["role"] == "user", me


def test_guarded_routes_require_authentication(client, plain_user):
    for method, path, access in documented_operations(client):
        if access == "anyone":
            continue
        target = own_path(path, plain_user)
        r = client.request(method, target, json=SELF_PROMOTION)
        assert_error(r, 401, "NOT_AUTHENTICATED")
        assert r.headers.get("www-authenticate", "").lower().startswith("bearer"), r
        r = client.request(method, target, json=SELF_PROMOTION, token=plain_user.refresh)
        assert_error(r, 401, "INVALID_TOKEN")


def test_the_unslashed_users_path_is_guarded_too(client, plain_user):
    assert_error(client.get("/users", token=plain_user.access), 403, "FORBIDDEN")
    assert_error(client.get("/users"), 401, "NOT_AUTHENTICATED")


# ------------------------------------------------------------------- listing


def test_list_with_and_without_trailing_slash(client, admin):
    a = client.get("/users/?limit=100", token=admin.access)
    b = client.get("/users?limit=100", token=admin.access)
    assert a.status == 200 and b.status == 200, (a, b)  # no redirect
    assert a.json == b.json
    assert a.headers["x-total-count"] == b.headers["x-total-count"]
    for u in a.json:
        assert_user_out(u)


def test_list_is_ordered_by_creation(client, admin):
    mine = [register(client) for _ in range(3)]
    users, total = list_all(client, admin)
    ids = [u["id"] for u in users]
    positions = [ids.index(m.id) for m in mine]
    assert positions == sorted(positions), "users must be listed in creation order"
    created = [parse_time(u["created_at"]) for u in users]
    assert created == sorted(created), "created_at must not decrease along the list"
    assert admin.id in ids


def test_list_default_limit_is_50(client, admin):
    r = client.get("/users/", token=admin.access)
    assert r.status == 200, r
    total = int(r.headers["x-total-count"])
    missing = max(0, 51 - total)
    with ThreadPoolExecutor(max_workers=4) as ex:
        list(ex.map(lambda _: register(client), range(missing)))
    r = client.get("/users/", token=admin.access)
    assert r.status == 200, r
    assert int(r.headers["x-total-count"]) >= 51
    assert len(r.json) == 50, len(r.json)


def test_list_pagination(client, admin):
    for _ in range(3):
        register(client)
    users, total = list_all(client, admin)
    assert total >= 4
    r = client.get("/users/?skip=1&limit=2", token=admin.access)
    assert r.status == 200, r
    assert r.json == users[1:3]
    assert int(r.headers["x-total-count"]) == total
    r = client.get("/users/?limit=1", token=admin.access)
    assert r.status == 200 and r.json == users[:1], r
    r = client.get(f"/users/?skip={total - 1}&limit=100", token=admin.access)
    assert r.status == 200 and r.json == users[-1:], r
    for skip in (total, total + 1000):
        r = client.get(f"/users/?skip={skip}", token=admin.access)
        assert r.status == 200 and r.json == [], r
        assert int(r.headers["x-total-count"]) == total


@pytest.mark.parametrize("query, loc", [
    ("skip=-1", ["query", "skip"]),
    ("limit=0", ["query", "limit"]),
    ("limit=-5", ["query", "limit"]),
    ("limit=101", ["query", "limit"]),
    ("limit=abc", ["query", "limit"]),
    ("skip=1.5", ["query", "skip"]),
    ("limit=99999999999999999999999", ["query", "limit"]),
])
def test_list_query_validation(client, admin, query, loc):
    r = client.get(f"/users/?{query}", token=admin.access)
    assert_error(r, 422, "VALIDATION_ERROR", loc=loc)


@pytest.mark.parametrize("limit", [1, 100])
def test_list_limit_bounds_are_inclusive(client, admin, limit):
    r = client.get(f"/users/?limit={limit}&skip=0", token=admin.access)
    assert r.status == 200, r
    assert 1 <= len(r.json) <= limit


# ------------------------------------------------------------------- GET /users/{id}


def test_get_user_by_id(client, admin, plain_user):
    me = client.get("/users/me", token=plain_user.access).json
    r = client.get(f"/users/{plain_user.id}", token=admin.access)
    assert r.status == 200, r
    assert r.json == me
    # UUIDs are case-insensitive.
    r = client.get(f"/users/{plain_user.id.upper()}", token=admin.access)
    assert r.status == 200 and r.json == me, r


@pytest.mark.parametrize("absent", [str(uuid.uuid4()), "018f3a2b-0000-7000-8000-000000000000"])
def test_get_absent_user(client, admin, absent):
    assert_error(client.get(f"/users/{absent}", token=admin.access), 404, "USER_NOT_FOUND")


@pytest.mark.parametrize("bad", ["not-a-uuid", "123", "018f3a2b-0000-7000-8000-00000000000g",
                                 "018f3a2b-0000-7000-8000-0000000000000"])
def test_get_user_bad_id(client, admin, bad):
    assert_error(client.get(f"/users/{bad}", token=admin.access), 422, "VALIDATION_ERROR", loc=["path", "id"])


# ------------------------------------------------------------------- PATCH /users/{id}


def test_patch_email(client, admin, plain_user):
    before = admin_get(client, admin, plain_user.id)
    time.sleep(0.01)
    new_email = unique_email("ReNamed")
    r = client.patch(f"/users/{plain_user.id}", {"email": new_email}, token=admin.access)
    assert r.status == 200, r
    u = assert_user_out(r.json, email=new_email.lower(), role="user", is_active=True)
    assert u["id"] == plain_user.id and u["created_at"] == before["created_at"]
    assert parse_time(u["updated_at"]) >= parse_time(before["updated_at"])
    assert admin_get(client, admin, plain_user.id) == u
    login(client, new_email, plain_user.password)
    assert_error(client.post("/auth/login", {"email": plain_user.email, "password": plain_user.password}),
                 401, "INVALID_CREDENTIALS")


def test_patch_email_taken(client, admin, plain_user):
    other = register(client)
    r = client.patch(f"/users/{plain_user.id}", {"email": other.email.upper()}, token=admin.access)
    assert_error(r, 409, "EMAIL_TAKEN")
    assert admin_get(client, admin, plain_user.id)["email"] == plain_user.email


def test_patch_email_to_its_own_value(client, admin, plain_user):
    r = client.patch(f"/users/{plain_user.id}", {"email": plain_user.email}, token=admin.access)
    assert r.status == 200, r
    assert r.json["email"] == plain_user.email


def test_patch_empty_body_changes_nothing(client, admin, plain_user):
    before = admin_get(client, admin, plain_user.id)
    r = client.patch(f"/users/{plain_user.id}", {}, token=admin.access)
    assert r.status == 200, r
    assert_user_out(r.json)
    for k in ("id", "email", "role", "is_active", "created_at"):
        assert r.json[k] == before[k]
    assert client.get("/users/me", token=plain_user.access).status == 200


def test_promotion_takes_effect_on_existing_tokens(client, admin, plain_user):
    r = client.patch(f"/users/{plain_user.id}", {"role": "admin"}, token=admin.access)
    assert r.status == 200, r
    assert_user_out(r.json, role="admin")
    r = client.get("/users/", token=plain_user.access)
    assert r.status == 200, "the role is read at request time, not frozen into the token"


def test_demotion_ends_sessions(client, admin):
    acc = register(client)
    assert client.patch(f"/users/{acc.id}", {"role": "admin"}, token=admin.access).status == 200
    assert client.get("/users/", token=acc.access).status == 200
    r = client.patch(f"/users/{acc.id}", {"role": "user"}, token=admin.access)
    assert r.status == 200, r
    assert_user_out(r.json, role="user")
    assert_error(client.get("/users/me", token=acc.access), 401, "INVALID_TOKEN")
    assert_error(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")
    again = login(client, acc.email, acc.password)
    assert_error(client.get("/users/", token=again.access), 403, "FORBIDDEN")


def test_deactivation_ends_sessions_and_blocks_login(client, admin):
    acc = register(client)
    second = login(client, acc.email, acc.password)
    r = client.patch(f"/users/{acc.id}", {"is_active": False}, token=admin.access)
    assert r.status == 200, r
    assert_user_out(r.json, is_active=False)
    for s in (acc, second):
        assert_error(client.get("/users/me", token=s.access), 401, "INVALID_TOKEN")
        assert_error(client.post("/auth/refresh", {"refresh_token": s.refresh}), 401, "INVALID_TOKEN")
    assert_error(client.post("/auth/login", {"email": acc.email, "password": acc.password}), 401, "INVALID_CREDENTIALS")
    # Reactivation lets them log in again; the old sessions stay dead.
    r = client.patch(f"/users/{acc.id}", {"is_active": True}, token=admin.access)
    assert r.status == 200 and r.json["is_active"] is True, r
    login(client, acc.email, acc.password)
    assert_error(client.get("/users/me", token=acc.access), 401, "INVALID_TOKEN")


@pytest.mark.parametrize("payload, loc", [
    ({"role": "superuser"}, ["body", "role"]),
    ({"role": "Admin"}, ["body", "role"]),
    ({"role": 1}, ["body", "role"]),
    ({"is_active": "maybe"}, ["body", "is_active"]),
    ({"is_active": 2}, ["body", "is_active"]),
    ({"is_active": None}, ["body", "is_active"]),
    ({"email": "not-an-email"}, ["body", "email"]),
    ({"email": 42}, ["body", "email"]),
])
def test_patch_validation(client, admin, plain_user, payload, loc):
    before = admin_get(client, admin, plain_user.id)
    r = client.patch(f"/users/{plain_user.id}", payload, token=admin.access)
    assert_error(r, 422, "VALIDATION_ERROR", loc=loc)
    assert admin_get(client, admin, plain_user.id) == before


def test_patch_is_atomic_on_partial_validation_failure(client, admin, plain_user):
    new_email = unique_email()
    r = client.patch(f"/users/{plain_user.id}", {"email": new_email, "role": "root"}, token=admin.access)
    assert_error(r, 422, "VALIDATION_ERROR", loc=["body", "role"])
    assert admin_get(client, admin, plain_user.id)["email"] == plain_user.email


def test_patch_absent_and_bad_ids(client, admin):
    assert_error(client.patch(f"/users/{uuid.uuid4()}", {"role": "user"}, token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(client.patch("/users/nope", {"role": "user"}, token=admin.access), 422, "VALIDATION_ERROR", loc=["path", "id"])


def test_patch_malformed_json_and_wrong_media_type(client, admin, plain_user):
    r = client.patch(f"/users/{plain_user.id}", raw_body=b'{"role": ', headers={"Content-Type": "application/json"}, token=admin.access)
    assert_error(r, 422, "VALIDATION_ERROR")
    r = client.patch(f"/users/{plain_user.id}", raw_body=b'{"role": "admin"}', headers={"Content-Type": "text/plain"}, token=admin.access)
    assert_error(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert admin_get(client, admin, plain_user.id)["role"] == "user"


# ------------------------------------------------------------------- DELETE /users/{id}


def test_delete_user(client, admin):
    acc = register(client)
    r = client.delete(f"/users/{acc.id}", token=admin.access)
    assert_no_content(r)
    assert_error(client.get(f"/users/{acc.id}", token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(client.get("/users/me", token=acc.access), 401, "INVALID_TOKEN")
    assert_error(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")
    assert_error(client.post("/auth/login", {"email": acc.email, "password": acc.password}), 401, "INVALID_CREDENTIALS")
    assert_error(client.delete(f"/users/{acc.id}", token=admin.access), 404, "USER_NOT_FOUND")
    users, _ = list_all(client, admin)
    assert acc.id not in [u["id"] for u in users]
    # The address is free again.
    register(client, acc.email)


def test_delete_bad_id(client, admin):
    assert_error(client.delete("/users/12345", token=admin.access), 422, "VALIDATION_ERROR", loc=["path", "id"])


# ------------------------------------------------------------------- create-admin on an existing user


def test_create_admin_promotes_an_existing_user(server, client, admin):
    acc = register(client)
    _, total_before = list_all(client, admin)
    r = server.create_admin(acc.email.upper(), "An0ther-P@ssword")
    assert r.returncode == 0, r
    u = admin_get(client, admin, acc.id)
    assert_user_out(u, email=acc.email, role="admin", is_active=True)
    _, total_after = list_all(client, admin)
    assert total_after == total_before, "create-admin on an existing email must not create a second user"
    # Whoever registered the address first keeps nothing: the operator's password is the
    # account's now, and the sessions opened before are over.
    assert client.get("/users/me", token=acc.access).status == 401
    assert client.post("/auth/login", {"email": acc.email, "password": acc.password}).status == 401
    r = client.post("/auth/login", {"email": acc.email, "password": "An0ther-P@ssword"})
    assert r.status == 200, r


# ------------------------------------------------------------------- stats (fresh database)


def test_stats_on_a_fresh_database(make_server):
    srv = make_server()
    c = srv.client
    admin = srv.make_admin()
    a = register(c)
    b = register(c)
    register(c)
    assert c.patch(f"/users/{b.id}", {"is_active": False}, token=admin.access).status == 200
    r = c.get("/users/stats", token=admin.access)
    assert r.status == 200, r
    assert r.json == {"total": 4, "active": 3, "admins": 1}, r.json
    assert all(type(v) is int for v in r.json.values())
    assert_error(c.get("/users/stats", token=a.access), 403, "FORBIDDEN")
    assert_error(c.get("/users/stats"), 401, "NOT_AUTHENTICATED")
    # Listing agrees with the counts.
    r = c.get("/users/", token=admin.access)
    assert r.status == 200 and r.headers["x-total-count"] == "4" and len(r.json) == 4, r


# ------------------------------------------------------------------- last active admin (fresh database)


def test_sole_admin_cannot_remove_themselves(make_server):
    srv = make_server()
    c = srv.client
    admin = srv.make_admin()
    for payload in ({"role": "user"}, {"is_active": False}, {"role": "admin", "is_active": False}):
        assert_error(c.patch(f"/users/{admin.id}", payload, token=admin.access), 409, "LAST_ADMIN")
    assert_error(c.delete(f"/users/{admin.id}", token=admin.access), 409, "LAST_ADMIN")
    r = c.get(f"/users/{admin.id}", token=admin.access)
    assert r.status == 200, r
    assert_user_out(r.json, role="admin", is_active=True)


def test_admin_can_be_removed_while_another_active_admin_remains(make_server):
    srv = make_server()
    c = srv.client
    first = srv.make_admin()
    second_user = register(c)
    assert c.patch(f"/users/{second_user.id}", {"role": "admin"}, token=first.access).status == 200
    second = second_user
    # Two active admins: the second demotes the first.
    r = c.patch(f"/users/{first.id}", {"role": "user"}, token=second.access)
    assert r.status == 200 and r.json["role"] == "user", r
    assert_error(c.get("/users/me", token=first.access), 401, "INVALID_TOKEN")
    # Now the second is the only one left.
    assert_error(c.delete(f"/users/{second.id}", token=second.access), 409, "LAST_ADMIN")
    assert_error(c.patch(f"/users/{second.id}", {"role": "user"}, token=second.access), 409, "LAST_ADMIN")
    # Deleting the (now plain) first user is fine.
    assert_no_content(c.delete(f"/users/{first.id}", token=second.access))


def test_inactive_admins_do_not_count(make_server):
    srv = make_server()
    c = srv.client
    first = srv.make_admin()
    other = srv.make_admin()
    r = c.patch(f"/users/{other.id}", {"is_active": False}, token=first.access)
    assert r.status == 200 and r.json["is_active"] is False, r
    assert_error(c.patch(f"/users/{first.id}", {"role": "user"}, token=first.access), 409, "LAST_ADMIN")
    assert_error(c.patch(f"/users/{first.id}", {"is_active": False}, token=first.access), 409, "LAST_ADMIN")
    assert_error(c.delete(f"/users/{first.id}", token=first.access), 409, "LAST_ADMIN")
    # Deleting the inactive admin is allowed.
    assert_no_content(c.delete(f"/users/{other.id}", token=first.access))
