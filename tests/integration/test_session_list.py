"""Sessions a person can see and end (API.md, part two): GET /users/me/sessions,
DELETE /users/me/sessions/{sid}, the admin's GET|DELETE /users/{id}/sessions and
DELETE /users/{id}/sessions/{sid}; what a session records of its client, and the purge of
ended sessions (SESSION_RETENTION_DAYS, SESSION_PURGE_INTERVAL_SECONDS)."""
from __future__ import annotations

import re
import time
import uuid

from conftest import TEST_DATABASE, db_rows
from client import (
    PASSWORD, Account, assert_error, assert_no_content, assert_tokens, assert_uuid7, jwt_claims,
    parse_time, register, unique_email, wait_until,
)

SESSION_KEYS = {"id", "created_at", "last_used_at", "expires_at", "ip", "user_agent", "current"}


def sid(acc: Account) -> str:
    return jwt_claims(acc.access)["sid"]


def open_session(client, email: str, agent: str | bytes | None = None) -> Account:
    headers = {"User-Agent": agent} if agent is not None else None
    r = client.post("/auth/login", {"email": email, "password": PASSWORD}, headers=headers)
    tok = assert_tokens(r, 200)
    acc = Account(email, PASSWORD, tok["access_token"], tok["refresh_token"])
    acc.id = jwt_claims(acc.access)["sub"]
    return acc


def new_user(client, agent: str | None = None) -> Account:
    email = unique_email("sessions")
    headers = {"User-Agent": agent} if agent is not None else None
    tok = assert_tokens(
        client.post("/auth/register", {"email": email, "password": PASSWORD}, headers=headers), 201)
    acc = Account(email, PASSWORD, tok["access_token"], tok["refresh_token"])
    acc.id = jwt_claims(acc.access)["sub"]
    return acc


def assert_session(item) -> dict:
    assert isinstance(item, dict) and set(item) == SESSION_KEYS, item
    assert_uuid7(item["id"])
    created, used, expires = (parse_time(item[k]) for k in ("created_at", "last_used_at", "expires_at"))
    assert created <= used < expires, item
    assert item["ip"] is None or isinstance(item["ip"], str), item
    assert item["user_agent"] is None or isinstance(item["user_agent"], str), item
    assert isinstance(item["current"], bool), item
    return item


def my_sessions(client, acc: Account) -> list[dict]:
    r = client.get("/users/me/sessions", token=acc.access)
    assert r.status == 200 and isinstance(r.json, list), r
    return [assert_session(item) for item in r.json]


def user_sessions(client, admin: Account, user_id: str) -> list[dict]:
    r = client.get(f"/users/{user_id}/sessions", token=admin.access)
    assert r.status == 200 and isinstance(r.json, list), r
    return [assert_session(item) for item in r.json]


def assert_dead(client, acc: Account) -> None:
    """Both tokens of the session are refused, at once."""
    assert_error(client.get("/users/me", token=acc.access), 401, "INVALID_TOKEN")
    assert_error(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")


def assert_alive(client, acc: Account) -> None:
    assert client.get("/users/me", token=acc.access).status == 200


def metric(client, name: str, **labels: str) -> float:
    text = client.get("/metrics").body.decode()
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = "^" + re.escape(name) + (r"\{" + re.escape(want) + r"\}" if want else "") + r" (\S+)$"
    m = re.search(pattern, text, re.MULTILINE)
    assert m, f"{name}{{{want}}} not in /metrics"
    return float(m.group(1))


# ------------------------------------------------------------------- the owner's list


def test_the_list_shows_each_session_newest_first_with_its_address_agent_and_current(client):
    first = new_user(client, agent="registering-browser/1.0")
    phone = open_session(client, first.email, agent="phone-app/2.0")
    laptop = open_session(client, first.email, agent="laptop-browser/3.0")
    items = my_sessions(client, laptop)
    assert [i["id"] for i in items] == [sid(laptop), sid(phone), sid(first)], items
    assert [i["user_agent"] for i in items] == [
        "laptop-browser/3.0", "phone-app/2.0", "registering-browser/1.0"], items
    assert all(i["ip"] == "127.0.0.1" for i in items), items
    assert [i["current"] for i in items] == [True, False, False], items
    created = [parse_time(i["created_at"]) for i in items]
    assert created == sorted(created, reverse=True), items
    # The same list from another session marks that one.
    assert [i["current"] for i in my_sessions(client, phone)] == [False, True, False]


def test_without_a_user_agent_the_agent_is_null(client):
    acc = new_user(client)  # http.client sends no User-Agent of its own
    (item,) = my_sessions(client, acc)
    assert item["user_agent"] is None and item["ip"] == "127.0.0.1", item


def test_a_long_user_agent_is_cut_to_256_characters(client):
    acc = new_user(client)
    open_session(client, acc.email, agent="a" * 1000)
    # 300 two-byte characters: cut after the 256th, never inside one.
    open_session(client, acc.email, agent=("é" * 300).encode("utf-8"))
    # Bytes that are not UTF-8 are stored as U+FFFD, each.
    latest = open_session(client, acc.email, agent=b"agent \xff\xfe/1")
    items = my_sessions(client, latest)
    assert items[0]["user_agent"] == "agent \ufffd\ufffd/1", items[0]
    assert items[1]["user_agent"] == "é" * 256, items[1]
    assert items[2]["user_agent"] == "a" * 256, items[2]


def test_a_refresh_updates_last_used_at_and_the_agent(client):
    acc = new_user(client, agent="old-agent/1")
    (before,) = my_sessions(client, acc)
    assert before["last_used_at"] == before["created_at"], before
    time.sleep(0.01)
    r = client.post("/auth/refresh", {"refresh_token": acc.refresh}, headers={"User-Agent": "new-agent/2"})
    tok = assert_tokens(r, 200)
    fresh = Account(acc.email, PASSWORD, tok["access_token"], tok["refresh_token"], acc.id)
    (after,) = my_sessions(client, fresh)
    assert after["id"] == before["id"] and after["created_at"] == before["created_at"], (before, after)
    assert parse_time(after["last_used_at"]) > parse_time(before["last_used_at"]), (before, after)
    assert after["user_agent"] == "new-agent/2" and after["ip"] == "127.0.0.1", after
    assert after["expires_at"] == before["expires_at"], (before, after)
    assert after["current"] is True


def test_ended_and_expired_sessions_are_not_listed(server, client):
    acc = new_user(client)
    logged_out = open_session(client, acc.email)
    expired = open_session(client, acc.email)
    keeper = open_session(client, acc.email)
    assert len(my_sessions(client, keeper)) == 4
    assert_no_content(client.post("/auth/logout", {"refresh_token": logged_out.refresh}))
    if TEST_DATABASE == "sqlite":
        db_rows(server, "UPDATE sessions SET expires_at = 1 WHERE id = ?", sid(expired))
    else:
        db_rows(server, "UPDATE sessions SET expires_at = now() - interval '1 hour' WHERE id = ?", sid(expired))
    assert [i["id"] for i in my_sessions(client, keeper)] == [sid(keeper), sid(acc)]


def test_the_list_needs_a_token(client):
    r = client.get("/users/me/sessions")
    assert_error(r, 401, "NOT_AUTHENTICATED")
    assert r.headers.get("WWW-Authenticate") == "Bearer", r
    assert_error(client.get("/users/me/sessions", token="not-a-token"), 401, "INVALID_TOKEN")
    assert_error(client.delete(f"/users/me/sessions/{uuid.uuid4()}"), 401, "NOT_AUTHENTICATED")


# ------------------------------------------------------------------- ending one's own session


def test_ending_a_session_stops_both_its_tokens_at_once_and_spares_the_others(client):
    acc = new_user(client)
    stolen = open_session(client, acc.email, agent="unknown-device")
    mine = open_session(client, acc.email)
    assert_alive(client, stolen)
    assert_no_content(client.delete(f"/users/me/sessions/{sid(stolen)}", token=mine.access))
    assert_dead(client, stolen)
    assert_alive(client, mine)
    assert_alive(client, acc)
    assert_tokens(client.post("/auth/refresh", {"refresh_token": mine.refresh}), 200)
    assert sid(stolen) not in [i["id"] for i in my_sessions(client, acc)]


def test_ending_ones_current_session_logs_it_out(client):
    acc = new_user(client)
    other = open_session(client, acc.email)
    assert_no_content(client.delete(f"/users/me/sessions/{sid(acc)}", token=acc.access))
    assert_dead(client, acc)
    assert_alive(client, other)


def test_a_session_not_ones_own_or_already_ended_is_not_found(client):
    alice, mallory = new_user(client), new_user(client)
    r = client.delete(f"/users/me/sessions/{sid(alice)}", token=mallory.access)
    assert_error(r, 404, "SESSION_NOT_FOUND")
    assert r.json["error"]["detail"] == "No such session", r
    assert_alive(client, alice)  # untouched
    spare = open_session(client, alice.email)
    assert_no_content(client.delete(f"/users/me/sessions/{sid(spare)}", token=alice.access))
    assert_error(client.delete(f"/users/me/sessions/{sid(spare)}", token=alice.access), 404,
                 "SESSION_NOT_FOUND")
    assert_error(client.delete(f"/users/me/sessions/{uuid.uuid4()}", token=alice.access), 404,
                 "SESSION_NOT_FOUND")
    assert_error(client.delete("/users/me/sessions/not-a-uuid", token=alice.access), 422,
                 "VALIDATION_ERROR", loc=["path", "sid"])


def test_me_is_not_taken_for_a_user_id(client, admin):
    # A literal segment wins over {id}: an admin's own list, not a 422 for the id "me".
    items = my_sessions(client, admin)
    assert sid(admin) in [i["id"] for i in items if i["current"]], items


def test_a_method_the_own_list_lacks_is_405_not_the_admin_route(client, admin):
    r = client.delete("/users/me/sessions", token=admin.access)
    assert_error(r, 405, "METHOD_NOT_ALLOWED")
    assert r.headers.get("Allow") == "GET", r
    assert_alive(client, admin)


# ------------------------------------------------------------------- admins


def test_an_admin_lists_a_users_sessions_with_none_current(client, admin):
    acc = new_user(client, agent="their-browser/1")
    second = open_session(client, acc.email, agent="their-phone/1")
    items = user_sessions(client, admin, acc.id)
    assert [i["id"] for i in items] == [sid(second), sid(acc)], items
    assert [i["user_agent"] for i in items] == ["their-phone/1", "their-browser/1"], items
    assert not any(i["current"] for i in items), items
    # The very items the owner sees, but for `current`.
    assert [dict(i, current=False) for i in my_sessions(client, second)] == items


def test_an_admin_ends_every_session_of_a_user(client, admin):
    acc = new_user(client)
    second = open_session(client, acc.email)
    bystander = new_user(client)
    before = metric(client, "gatehouse_session_revocations_total", reason="admin")
    assert_no_content(client.delete(f"/users/{acc.id}/sessions", token=admin.access))
    assert_dead(client, acc)
    assert_dead(client, second)
    assert user_sessions(client, admin, acc.id) == []
    assert_alive(client, bystander)
    assert_alive(client, admin)
    assert metric(client, "gatehouse_session_revocations_total", reason="admin") == before + 1
    # A user without sessions left is still a user: 204 again.
    assert_no_content(client.delete(f"/users/{acc.id}/sessions", token=admin.access))
    # They can log in again.
    assert_alive(client, open_session(client, acc.email))


def test_an_admin_ends_one_session_of_a_user(client, admin):
    acc = new_user(client)
    second = open_session(client, acc.email)
    assert_no_content(client.delete(f"/users/{acc.id}/sessions/{sid(acc)}", token=admin.access))
    assert_dead(client, acc)
    assert_alive(client, second)
    assert [i["id"] for i in user_sessions(client, admin, acc.id)] == [sid(second)]
    assert_error(client.delete(f"/users/{acc.id}/sessions/{sid(acc)}", token=admin.access), 404,
                 "SESSION_NOT_FOUND")


def test_admin_routes_answer_404_for_an_unknown_user_or_a_foreign_session(client, admin):
    nobody = str(uuid.uuid4())
    acc, other = new_user(client), new_user(client)
    assert_error(client.get(f"/users/{nobody}/sessions", token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(client.delete(f"/users/{nobody}/sessions", token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(client.delete(f"/users/{nobody}/sessions/{sid(acc)}", token=admin.access), 404,
                 "USER_NOT_FOUND")
    # other's session is not acc's, and stays open.
    assert_error(client.delete(f"/users/{acc.id}/sessions/{sid(other)}", token=admin.access), 404,
                 "SESSION_NOT_FOUND")
    assert_alive(client, other)
    assert_error(client.get("/users/not-a-uuid/sessions", token=admin.access), 422,
                 "VALIDATION_ERROR", loc=["path", "id"])
    assert_error(client.delete(f"/users/{acc.id}/sessions/nope", token=admin.access), 422,
                 "VALIDATION_ERROR", loc=["path", "sid"])


def test_admin_routes_need_an_admin(client):
    acc = new_user(client)
    routes = [("GET", f"/users/{acc.id}/sessions"), ("DELETE", f"/users/{acc.id}/sessions"),
              ("DELETE", f"/users/{acc.id}/sessions/{sid(acc)}")]
    for method, path in routes:
        assert_error(client.request(method, path), 401, "NOT_AUTHENTICATED")
        assert_error(client.request(method, path, token=acc.access), 403, "FORBIDDEN")
    assert_alive(client, acc)  # a user's own attempt ended nothing


def test_ending_sessions_is_counted_by_reason(client, admin):
    acc = new_user(client)
    extra = open_session(client, acc.email)
    before = metric(client, "gatehouse_session_revocations_total", reason="session_end")
    assert_no_content(client.delete(f"/users/me/sessions/{sid(extra)}", token=acc.access))
    assert metric(client, "gatehouse_session_revocations_total", reason="session_end") == before + 1


# ------------------------------------------------------------------- the purge


def test_ended_sessions_are_purged_past_the_retention(make_server):
    srv = make_server(SESSION_RETENTION_DAYS="0", SESSION_PURGE_INTERVAL_SECONDS="1")
    c = srv.client
    acc = register(c)
    ended = open_session(c, acc.email)
    assert_no_content(c.post("/auth/logout", {"refresh_token": ended.refresh}))

    def rows(session_id: str) -> int:
        return int(db_rows(srv, "SELECT COUNT(*) FROM sessions WHERE id = ?", session_id)[0][0])

    assert wait_until(lambda: rows(sid(ended)) == 0, timeout=30), "the ended session was never purged"
    assert rows(sid(acc)) == 1  # the open one stays
    assert metric(c, "gatehouse_sessions_purged_total") >= 1
    assert metric(c, "gatehouse_session_purge_last_success_timestamp_seconds") > 0
    assert_alive(c, acc)


def test_ended_sessions_within_the_retention_are_kept(make_server):
    srv = make_server(SESSION_RETENTION_DAYS="1", SESSION_PURGE_INTERVAL_SECONDS="1")
    c = srv.client
    acc = register(c)
    ended = open_session(c, acc.email)
    assert_no_content(c.post("/auth/logout", {"refresh_token": ended.refresh}))
    since = int(time.time())
    # Two seconds later a whole run has started after the logout, and finished.
    assert wait_until(
        lambda: metric(c, "gatehouse_session_purge_last_success_timestamp_seconds") >= since + 2,
        timeout=30), "the purge never ran"
    assert int(db_rows(srv, "SELECT COUNT(*) FROM sessions WHERE id = ?", sid(ended))[0][0]) == 1
    assert metric(c, "gatehouse_sessions_purged_total") == 0

