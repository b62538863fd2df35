"""Users at scale (API.md part two): POST /users, filters, cursor paging with Link and
X-Next-Cursor, and exact counts right after a change."""
from __future__ import annotations

import re
import secrets
from urllib.parse import quote, urlencode

import pytest

from client import (
    PASSWORD, assert_error, assert_user_out, b64url_encode, register, unique_email,
)


def tag() -> str:
    """A string no other test's email holds: a q filter on it sees only this test's users."""
    return "t" + secrets.token_hex(5)


def create(client, admin, email, role=None, password=PASSWORD):
    body = {"email": email, "password": password}
    if role:
        body["role"] = role
    r = client.post("/users", body, token=admin.access)
    assert r.status == 201, r
    return assert_user_out(r.json, email=email.lower(), role=role or "user", is_active=True)


def get_list(client, admin, **params):
    r = client.get("/users/?" + urlencode(params), token=admin.access)
    assert r.status == 200, r
    assert isinstance(r.json, list)
    return r


def next_link(r) -> str | None:
    link = r.headers.get("link")
    if link is None:
        return None
    m = re.fullmatch(r'<([^>]+)>; rel="next"', link)
    assert m, link
    return m.group(1)


def walk(client, admin, **params) -> list[dict]:
    """Every page by following Link; checks Link and X-Next-Cursor agree on each page."""
    r = get_list(client, admin, **params)
    seen = list(r.json)
    for _ in range(1000):
        target = next_link(r)
        cursor = r.headers.get("x-next-cursor")
        assert (target is None) == (cursor is None), r.headers
        if target is None:
            return seen
        assert f"cursor={quote(cursor, safe='')}" in target or f"cursor={cursor}" in target
        assert "skip=" not in target
        r = client.get(target, token=admin.access)
        assert r.status == 200, r
        assert "x-total-count" not in r.headers, "no total on a cursor page"
        seen += r.json
    raise AssertionError("the walk did not end")


# ---------------------------------------------------------------------- POST /users


def test_an_admin_creates_an_active_user_who_can_log_in(client, admin):
    email = unique_email("made")
    user = create(client, admin, email.upper(), role="admin")
    assert user["email"] == email and user["role"] == "admin"
    r = client.post("/auth/login", {"email": email, "password": PASSWORD})
    assert r.status == 200, r
    got = client.get(f"/users/{user['id']}", token=admin.access)
    assert got.status == 200 and got.json["last_login_at"] is not None, got
    assert got.json == {**user, "last_login_at": got.json["last_login_at"]}


def test_create_refuses_a_taken_email_bad_fields_and_non_admins(client, admin):
    taken = register(client)
    r = client.post("/users", {"email": taken.email.upper(), "password": PASSWORD},
                    token=admin.access)
    assert_error(r, 409, "EMAIL_TAKEN")
    r = client.post("/users/", {"email": "not-an-email", "password": "short", "role": "root"},
                    token=admin.access)
    err = assert_error(r, 422, "VALIDATION_ERROR")
    locs = {tuple(f["loc"]) for f in err["fields"]}
    assert {("body", "email"), ("body", "password"), ("body", "role")} <= locs, locs
    r = client.post("/users", {"email": unique_email(), "password": ""}, token=admin.access)
    assert_error(r, 422, "VALIDATION_ERROR")  # only an absent password is an invitation
    assert_error(client.post("/users", {"email": unique_email(), "password": PASSWORD},
                             token=taken.access), 403, "FORBIDDEN")
    assert_error(client.post("/users", {"email": unique_email(), "password": PASSWORD}),
                 401, "NOT_AUTHENTICATED")


# -------------------------------------------------------------------------- filters


def test_filters_by_email_substring_role_and_active_flag_combined(client, admin):
    t = tag()
    ann = create(client, admin, f"ann.{t}@example.com")
    root = create(client, admin, f"root.{t}@example.com", role="admin")
    ben = create(client, admin, f"ben.{t}@example.com")
    r = client.patch(f"/users/{ben['id']}", {"is_active": False}, token=admin.access)
    assert r.status == 200, r
    ids = lambda resp: [u["id"] for u in resp.json]  # noqa: E731
    everyone = get_list(client, admin, q=t)
    assert ids(everyone) == [ann["id"], root["id"], ben["id"]]
    assert "x-total-count" not in everyone.headers, "no total with a filter"
    assert ids(get_list(client, admin, q=t.upper(), role="admin")) == [root["id"]]
    assert ids(get_list(client, admin, q=t, is_active="false")) == [ben["id"]]
    assert ids(get_list(client, admin, q=t, role="user", is_active="true")) == [ann["id"]]
    assert ids(get_list(client, admin, q=f"ann.{t}")) == [ann["id"]]
    assert get_list(client, admin, q=t + "zz").json == []


def test_the_email_search_takes_every_character_literally(client, admin):
    t = tag()
    under = create(client, admin, f"a_b.{t}@example.com")
    create(client, admin, f"axb.{t}@example.com")
    percent = create(client, admin, f"100%.{t}@example.com")
    assert [u["id"] for u in get_list(client, admin, q=f"a_b.{t}").json] == [under["id"]]
    assert [u["id"] for u in get_list(client, admin, q=f"%.{t}").json] == [percent["id"]]


@pytest.mark.parametrize("params, loc", [
    ({"q": "ab"}, "q"),
    ({"q": "ab\x00c"}, "q"),
    ({"q": b"\xff\xfe\xfd"}, "q"),
    ({"q": "ex\u00e4m"}, "q"),
    ({"q": "x" * 255}, "q"),
    ({"role": "root"}, "role"),
    ({"is_active": "yes"}, "is_active"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "dXNlcnMuMS4xMjM"}, "cursor"),  # the right prefix, no id
    ({"cursor": "YXVkaXQuMS4xLjAxOTM2ZjNlLTdjMWEtN2I4ZS05YTRmLTJkNWM2YjdhOGU5Zg"}, "cursor"),
    ({"skip": "0", "cursor": "x"}, "cursor"),
    # The right tag and id, a time neither database can hold.
    ({"cursor": b64url_encode(b"users.1.-2000000000000000000.01a2370d-60e4-739d-b895-c966948e510e")},
     "cursor"),
    ({"cursor": b64url_encode(b"users.1.-9223372036854775808.01a2370d-60e4-739d-b895-c966948e510e")},
     "cursor"),
])
def test_bad_filters_and_cursors_are_422_naming_the_parameter(client, admin, params, loc):
    r = client.get("/users/?" + urlencode(params), token=admin.access)
    err = assert_error(r, 422, "VALIDATION_ERROR")
    assert ["query", loc] in [f["loc"] for f in err["fields"]], err


# ----------------------------------------------------------------------- cursors


def test_a_cursor_walk_has_no_duplicate_and_no_gap_while_rows_are_added(client, admin):
    t = tag()
    first = [create(client, admin, f"u{i}.{t}@example.com")["id"] for i in range(7)]
    r = get_list(client, admin, q=t, limit=2)
    seen = [u["id"] for u in r.json]
    added = []
    while next_link(r):
        # Someone registers between pages: the walk neither repeats nor skips a row.
        added.append(create(client, admin, f"late{len(added)}.{t}@example.com")["id"])
        r = client.get(next_link(r), token=admin.access)
        assert r.status == 200, r
        seen += [u["id"] for u in r.json]
        assert len(added) < 50
    assert len(seen) == len(set(seen)), "a row came twice"
    assert seen[:7] == first, "a row was skipped or moved"
    assert seen[7:] == added[: len(seen) - 7], "rows added later come in creation order"


def test_a_walk_may_start_with_skip_and_ends_without_a_link(client, admin):
    t = tag()
    ids = [create(client, admin, f"s{i}.{t}@example.com")["id"] for i in range(5)]
    r = get_list(client, admin, q=t, skip=1, limit=2)
    assert [u["id"] for u in r.json] == ids[1:3]
    rest = walk(client, admin, q=t, skip=3, limit=2)
    assert [u["id"] for u in rest] == ids[3:]
    last = get_list(client, admin, q=t, skip=3, limit=2)
    assert next_link(last) is None and "x-next-cursor" not in last.headers


def test_the_unfiltered_list_keeps_its_total_and_links_on_both_spellings(client, admin):
    register(client)
    register(client)
    for path in ("/users", "/users/"):
        r = client.get(f"{path}?limit=1", token=admin.access)
        assert r.status == 200, r
        assert int(r.headers["x-total-count"]) >= 3
        assert next_link(r).startswith(f"{path}?")
    everyone = walk(client, admin, limit=100)
    ids = [u["id"] for u in everyone]
    assert len(ids) == len(set(ids))
    stats = client.get("/users/stats", token=admin.access).json
    assert len(ids) == stats["total"]


# ------------------------------------------------------------------------ counts


def test_counts_are_exact_right_after_every_change(client, admin):
    def counts():
        s = client.get("/users/stats", token=admin.access).json
        total = int(get_list(client, admin, limit=1).headers["x-total-count"])
        assert total == s["total"], "X-Total-Count and /users/stats agree"
        return s

    before = counts()
    user = register(client)
    after_register = counts()
    assert after_register["total"] == before["total"] + 1
    assert after_register["active"] == before["active"] + 1
    r = client.patch(f"/users/{user.id}", {"role": "admin"}, token=admin.access)
    assert r.status == 200, r
    assert counts()["admins"] == before["admins"] + 1
    r = client.patch(f"/users/{user.id}", {"is_active": False}, token=admin.access)
    assert r.status == 200, r
    now = counts()
    assert (now["active"], now["admins"]) == (before["active"], before["admins"])
    assert client.delete(f"/users/{user.id}", token=admin.access).status == 204
    assert counts() == before
