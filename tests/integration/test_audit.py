"""The audit log (API.md part two, "Audit log"): each event type from the action that causes
it, with who acted, on whom, in which session, from which address and agent, under which
request id; no secret in any event nor in its log line; the admin's filters and cursor
paging, and the caller's own list; a success written in the transaction of its change (and
nothing for a refused change); AUDIT_ENABLED, AUDIT_INCLUDE, the retention purge, the
metrics."""
from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from urllib.parse import urlencode

import pytest

from conftest import TEST_DATABASE, Server, db_rows
from client import (
    PASSWORD, Account, Resp, assert_error, assert_no_content, assert_tokens, assert_uuid7,
    jwt_claims, login, parse_time, register, unique_email, wait_until,
)

EVENT_KEYS = {"id", "occurred_at", "type", "outcome", "actor_id", "subject_user_id",
              "session_id", "ip", "user_agent", "request_id", "reason", "details"}
TYPES = ["user.registered", "user.created", "user.updated", "user.deleted", "auth.login",
         "auth.login_throttled", "session.refreshed", "session.refresh_reuse", "session.ended",
         "password.changed"]
WRONG_PASSWORD = "Wr0ng-Guess-Passw0rd!"
NEW_PASSWORD = "N3w-Secr3t-Passw0rd!"
# The module's server believes X-Forwarded-For from the loopback proxy (the test client), so
# every event can be shown to carry the client's address, not the peer's.
PROXIED = {"TRUSTED_PROXIES": "127.0.0.1", "LOG_LEVEL": "info"}

_addresses = (f"203.0.113.{n}" for n in itertools.count(1))


def sid(acc: Account) -> str:
    return jwt_claims(acc.access)["sid"]


class Caller:
    """A client behind the trusted proxy: its own address and User-Agent, and a fresh
    X-Request-ID on every request (the last one in `rid`)."""

    def __init__(self, client, ip: str | None = None, agent: str | None = None):
        self.c = client
        self.ip = ip or next(_addresses)
        self.agent = agent or f"audit-test/{uuid.uuid4().hex[:8]}"
        self.rid = ""

    def send(self, method: str, path: str, json_body=None, token: str | None = None,
             headers: dict | None = None) -> Resp:
        self.rid = f"req-{uuid.uuid4().hex}"
        hdrs = {"X-Forwarded-For": self.ip, "User-Agent": self.agent, "X-Request-ID": self.rid,
                **(headers or {})}
        r = self.c.request(method, path, json=json_body, token=token, headers=hdrs)
        assert r.headers.get("x-request-id") == self.rid, r
        return r

    def register(self, email: str | None = None) -> Account:
        email = email or unique_email("audit")
        tok = assert_tokens(self.send("POST", "/auth/register", {"email": email, "password": PASSWORD}), 201)
        return account(email, PASSWORD, tok)

    def login(self, email: str, password: str = PASSWORD) -> Account:
        tok = assert_tokens(self.send("POST", "/auth/login", {"email": email, "password": password}), 200)
        return account(email, password, tok)

    def where(self) -> dict:
        """What every event of this caller's last request carries."""
        return {"ip": self.ip, "user_agent": self.agent, "request_id": self.rid}


def account(email: str, password: str, tok: dict) -> Account:
    acc = Account(email.lower(), password, tok["access_token"], tok["refresh_token"])
    acc.id = jwt_claims(acc.access)["sub"]
    return acc


# ------------------------------------------------------------------- reading the log


def assert_event(e) -> dict:
    assert isinstance(e, dict) and set(e) == EVENT_KEYS, e
    assert_uuid7(e["id"])
    parse_time(e["occurred_at"])
    assert e["type"] in TYPES, e
    assert e["outcome"] in ("success", "failure"), e
    for k in ("actor_id", "subject_user_id", "session_id"):
        if e[k] is not None:
            assert_uuid7(e[k])
    for k in ("ip", "user_agent", "request_id", "reason"):
        assert e[k] is None or (isinstance(e[k], str) and e[k]), e
    assert isinstance(e["details"], dict), e
    return e


def page(c, token: str, path: str = "/admin/audit-events", **params) -> dict:
    r = c.get(path + ("?" + urlencode(params) if params else ""), token=token)
    assert r.status == 200, r
    assert isinstance(r.json, dict) and set(r.json) == {"items", "next_cursor"}, r.json
    assert isinstance(r.json["items"], list), r.json
    for e in r.json["items"]:
        assert_event(e)
    assert r.json["next_cursor"] is None or isinstance(r.json["next_cursor"], str), r.json
    return r.json


def all_events(c, token: str, path: str = "/admin/audit-events", **params) -> list[dict]:
    """Every page, newest first."""
    out, cursor = [], None
    while True:
        extra = {"cursor": cursor} if cursor else {}
        body = page(c, token, path, limit=100, **params, **extra)
        out += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return out


def matching(events: list[dict], **want) -> list[dict]:
    return [e for e in events if all(e[k] == v for k, v in want.items())]


def the_event(events: list[dict], **want) -> dict:
    found = matching(events, **want)
    assert len(found) == 1, f"expected one event with {want}, found {len(found)} in {events}"
    return found[0]


def wait_event(c, token: str, want: dict, **params) -> dict:
    """A failure event: written by the batch writer, so it may take a moment."""
    found: list[dict] = []

    def seen() -> bool:
        found[:] = matching(all_events(c, token, **params), **want)
        return bool(found)

    assert wait_until(seen, timeout=10), f"no event with {want} ({params})"
    assert len(found) == 1, found
    return found[0]


def assert_fields(e: dict, **want) -> None:
    got = {k: e[k] for k in want}
    assert got == want, f"event {e}"


def metric(c, name: str, **labels: str) -> float:
    text = c.get("/metrics").body.decode()
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = "^" + re.escape(name) + (r"\{" + re.escape(want) + r"\}" if want else "") + r" (\S+)$"
    m = re.search(pattern, text, re.MULTILINE)
    assert m, f"{name}{{{want}}} not in /metrics"
    return float(m.group(1))


def audit_lines(srv: Server) -> list[dict]:
    out = []
    for line in srv.log_path.read_text().splitlines():
        if line.startswith("{") and '"event":"audit"' in line:
            out.append(json.loads(line))
    return out


def settle(c) -> None:
    """Lets the batch writer empty its queue (it flushes every 100 ms)."""
    assert wait_until(lambda: metric(c, "gatehouse_audit_queue_depth") == 0, timeout=10)
    time.sleep(0.3)


@pytest.fixture(scope="module")
def server(gatehouse_bin, tmp_path_factory):
    srv = Server(gatehouse_bin, tmp_path_factory.mktemp("gh-audit"), env=PROXIED, name="gh-audit")
    srv.migrate_up()
    srv.start()
    yield srv
    srv.stop_ok()


@pytest.fixture
def boss(client, admin) -> tuple[Caller, Account]:
    """The module's admin, calling from an address of its own."""
    return Caller(client), admin


# ------------------------------------------------------------------- each event type


def test_a_registration_is_recorded_at_once_with_the_clients_address_agent_and_request_id(client, admin):
    who = Caller(client, agent="registering-browser/1.0")
    acc = who.register()
    # A success is in the transaction of its change: there as soon as the 201 is.
    (e,) = all_events(client, admin.access, user_id=acc.id)
    assert_fields(e, type="user.registered", outcome="success", actor_id=acc.id,
                  subject_user_id=acc.id, session_id=sid(acc), reason=None, details={},
                  ip=who.ip, user_agent="registering-browser/1.0", request_id=who.rid)
    assert who.ip != "127.0.0.1"  # the client's address, not the proxy's


def test_a_client_sent_request_id_is_kept_and_an_invalid_one_replaced(client, admin):
    who = Caller(client)
    acc = who.register()
    r = client.post("/auth/login", {"email": acc.email, "password": PASSWORD},
                    headers={"X-Request-ID": "not valid!"})
    assert r.status == 200, r
    fresh = account(acc.email, PASSWORD, r.json)
    e = the_event(all_events(client, admin.access, user_id=acc.id, type="auth.login"),
                  session_id=sid(fresh))
    assert e["request_id"] == r.headers["x-request-id"] != "not valid!", (e, r)
    assert e["ip"] == "127.0.0.1" and e["user_agent"] is None, e  # no proxy, no agent


def test_a_login_is_recorded_with_its_new_session(client, admin):
    who = Caller(client)
    acc = who.register()
    session = who.login(acc.email)
    (e,) = all_events(client, admin.access, user_id=acc.id, type="auth.login")
    assert_fields(e, outcome="success", actor_id=acc.id, subject_user_id=acc.id,
                  session_id=sid(session), reason=None, **who.where())
    assert sid(session) != sid(acc)


def test_the_agent_is_cut_to_256_characters_as_a_sessions_is(client, admin):
    acc = register(client)
    who = Caller(client, agent="a" * 1000)
    session = who.login(acc.email)
    e = the_event(all_events(client, admin.access, user_id=acc.id), session_id=sid(session))
    assert e["type"] == "auth.login" and e["user_agent"] == "a" * 256, e


def test_a_wrong_password_names_the_account_an_unknown_one_names_nobody(client, admin):
    acc = register(client)
    who = Caller(client)
    r = who.send("POST", "/auth/login", {"email": acc.email, "password": WRONG_PASSWORD})
    assert_error(r, 401, "INVALID_CREDENTIALS")
    e = wait_event(client, admin.access, {"reason": "wrong_password"}, type="auth.login", ip=who.ip)
    assert_fields(e, outcome="failure", actor_id=None, subject_user_id=acc.id, session_id=None,
                  **who.where())

    stranger = Caller(client)
    r = stranger.send("POST", "/auth/login", {"email": unique_email("nobody"), "password": PASSWORD})
    assert_error(r, 401, "INVALID_CREDENTIALS")
    e = wait_event(client, admin.access, {"reason": "unknown_account"}, type="auth.login", ip=stranger.ip)
    assert_fields(e, outcome="failure", actor_id=None, subject_user_id=None, session_id=None,
                  **stranger.where())


def test_a_login_to_an_inactive_account_is_recorded_as_such(client, admin):
    acc = register(client)
    assert client.patch(f"/users/{acc.id}", {"is_active": False}, token=admin.access).status == 200
    who = Caller(client)
    r = who.send("POST", "/auth/login", {"email": acc.email, "password": PASSWORD})
    assert_error(r, 401, "INVALID_CREDENTIALS")
    e = wait_event(client, admin.access, {"reason": "inactive"}, type="auth.login", ip=who.ip)
    assert_fields(e, outcome="failure", subject_user_id=acc.id, actor_id=None, session_id=None,
                  **who.where())


def test_a_throttled_login_says_which_throttle_refused(make_server):
    srv = make_server(**PROXIED, LOGIN_MAX_FAILURES=2, LOGIN_MAX_FAILURES_PER_ADDRESS=3,
                      LOGIN_MAX_FAILURES_PER_ACCOUNT=3)
    c = srv.client
    admin = srv.make_admin()
    # In capitals: the writer still finds the account the address names.
    wrong = lambda caller, acc: caller.send(  # noqa: E731
        "POST", "/auth/login", {"email": acc.email.upper(), "password": WRONG_PASSWORD})

    def throttled(caller: Caller, reason: str, subject: str | None) -> None:
        e = wait_event(c, admin.access, {"reason": reason}, type="auth.login_throttled", ip=caller.ip)
        assert_fields(e, outcome="failure", actor_id=None, subject_user_id=subject,
                      session_id=None, **caller.where())

    # One account from one address: the pair's budget (LOGIN_MAX_FAILURES).
    pair, x = register(c), Caller(c)
    for _ in range(2):
        assert wrong(x, pair).status == 401
    assert_error(wrong(x, pair), 429, "TOO_MANY_LOGIN_ATTEMPTS")
    throttled(x, "account_and_address", pair.id)

    # One address at many accounts, once each: the address's budget.
    y = Caller(c)
    for _ in range(3):
        assert wrong(y, register(c)).status == 401
    target = register(c)
    assert_error(wrong(y, target), 429, "TOO_MANY_LOGIN_ATTEMPTS")
    throttled(y, "address", target.id)

    # One account from many addresses, once each: the account's budget.
    victim = register(c)
    for _ in range(3):
        assert wrong(Caller(c), victim).status == 401
    z = Caller(c)
    assert_error(wrong(z, victim), 429, "TOO_MANY_LOGIN_ATTEMPTS")
    throttled(z, "account", victim.id)


def test_refused_refresh_tokens_are_recorded_and_junk_ones_only_counted(client, admin):
    # A token that is not ours names nobody and costs nothing to send: counted, not recorded,
    # so no one can fill the table without an account.
    who = Caller(client)
    before = metric(client, "gatehouse_audit_unrecorded_tokens_total")
    r = who.send("POST", "/auth/refresh", {"refresh_token": "not.a.token"})
    assert_error(r, 401, "INVALID_TOKEN")
    assert_error(who.send("POST", "/auth/logout", {"refresh_token": "forged.refresh.token"}),
                 401, "INVALID_TOKEN")
    assert metric(client, "gatehouse_audit_unrecorded_tokens_total") == before + 2
    settle(client)
    assert all_events(client, admin.access, ip=who.ip) == []

    # A token of a session that has ended.
    acc = register(client)
    ended = login(client, acc.email, PASSWORD)
    assert_no_content(client.post("/auth/logout", {"refresh_token": ended.refresh}))
    assert_error(who.send("POST", "/auth/refresh", {"refresh_token": ended.refresh}), 401, "INVALID_TOKEN")
    e = wait_event(client, admin.access, {"reason": "session_ended"}, type="session.refreshed",
                   user_id=acc.id)
    assert_fields(e, outcome="failure", subject_user_id=acc.id, session_id=sid(ended), **who.where())


def test_a_reused_refresh_token_is_recorded_and_a_good_refresh_is_not_by_default(client, admin):
    acc = register(client)
    who = Caller(client)
    assert_tokens(who.send("POST", "/auth/refresh", {"refresh_token": acc.refresh}), 200)
    assert_error(who.send("POST", "/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")
    e = wait_event(client, admin.access, {"type": "session.refresh_reuse"}, user_id=acc.id)
    assert_fields(e, outcome="failure", reason="session_revoked", subject_user_id=acc.id,
                  session_id=sid(acc), **who.where())
    assert matching(all_events(client, admin.access, user_id=acc.id),
                    type="session.refreshed") == []


def test_logging_out_ends_the_session_in_the_log(client, admin):
    acc = register(client)
    session = login(client, acc.email, PASSWORD)
    who = Caller(client)
    assert_no_content(who.send("POST", "/auth/logout", {"refresh_token": session.refresh}))
    e = the_event(all_events(client, admin.access, user_id=acc.id, type="session.ended"),
                  session_id=sid(session))
    assert_fields(e, outcome="success", reason="logout", actor_id=acc.id, subject_user_id=acc.id,
                  **who.where())



def test_ending_an_own_session_and_all_of_them(client, admin):
    acc = register(client)
    other = login(client, acc.email, PASSWORD)
    who = Caller(client)
    assert_no_content(who.send("DELETE", f"/users/me/sessions/{sid(other)}", token=acc.access))
    e = the_event(all_events(client, admin.access, user_id=acc.id, type="session.ended"),
                  session_id=sid(other))
    assert_fields(e, outcome="success", reason="logout", actor_id=acc.id, subject_user_id=acc.id,
                  **who.where())

    assert_no_content(who.send("POST", "/auth/logout-all", token=acc.access))
    e = the_event(all_events(client, admin.access, user_id=acc.id, type="session.ended"),
                  reason="logout_all")
    assert_fields(e, outcome="success", actor_id=acc.id, subject_user_id=acc.id, session_id=None,
                  **who.where())


def test_an_admin_ending_sessions_is_the_actor(client, boss):
    by, admin = boss
    acc = register(client)
    one = login(client, acc.email, PASSWORD)
    assert_no_content(by.send("DELETE", f"/users/{acc.id}/sessions/{sid(one)}", token=admin.access))
    e = the_event(all_events(client, admin.access, user_id=acc.id, type="session.ended"),
                  session_id=sid(one))
    assert_fields(e, outcome="success", reason="admin", actor_id=admin.id, subject_user_id=acc.id,
                  **by.where())

    assert_no_content(by.send("DELETE", f"/users/{acc.id}/sessions", token=admin.access))
    e = the_event(all_events(client, admin.access, user_id=acc.id, type="session.ended"),
                  session_id=None)
    assert_fields(e, outcome="success", reason="admin", actor_id=admin.id, subject_user_id=acc.id,
                  **by.where())


def test_a_password_change_and_a_wrong_current_password(client, admin):
    acc = register(client)
    other = login(client, acc.email, PASSWORD)
    who = Caller(client)
    r = who.send("POST", "/auth/password", {"current_password": WRONG_PASSWORD,
                                             "new_password": NEW_PASSWORD}, token=acc.access)
    assert_error(r, 401, "INVALID_CREDENTIALS")
    e = wait_event(client, admin.access, {"outcome": "failure"}, type="password.changed", user_id=acc.id)
    assert_fields(e, reason="wrong_password", actor_id=acc.id, subject_user_id=acc.id,
                  session_id=sid(acc), **who.where())

    r = who.send("POST", "/auth/password", {"current_password": PASSWORD,
                                             "new_password": NEW_PASSWORD}, token=acc.access)
    assert_no_content(r)
    events = all_events(client, admin.access, user_id=acc.id)
    changed = the_event(events, type="password.changed", outcome="success")
    assert_fields(changed, reason=None, actor_id=acc.id, subject_user_id=acc.id,
                  session_id=sid(acc), **who.where())
    ended = the_event(events, type="session.ended", reason="password_change")
    # Every other session ended, not the caller's: the event names none.
    assert_fields(ended, outcome="success", actor_id=acc.id, subject_user_id=acc.id,
                  session_id=None, **who.where())
    assert_error(client.get("/users/me", token=other.access), 401, "INVALID_TOKEN")


def test_an_admin_creating_updating_and_deleting_a_user(client, boss):
    by, admin = boss
    r = by.send("POST", "/users", {"email": unique_email("made"), "password": PASSWORD}, token=admin.access)
    assert r.status == 201, r
    uid = r.json["id"]
    (e,) = all_events(client, admin.access, user_id=uid)
    assert_fields(e, type="user.created", outcome="success", actor_id=admin.id, subject_user_id=uid,
                  details={"role": "user", "invited": False}, reason=None, **by.where())

    r = by.send("PATCH", f"/users/{uid}", {"email": unique_email("renamed")}, token=admin.access)
    assert r.status == 200, r
    e = the_event(all_events(client, admin.access, user_id=uid), type="user.updated")
    assert_fields(e, outcome="success", actor_id=admin.id, subject_user_id=uid, **by.where())
    assert e["details"] == {"fields": ["email"], "old_role": "user", "new_role": "user",
                            "old_is_active": True, "new_is_active": True}, e
    assert r.json["email"] not in json.dumps(e)  # that it changed, never the address

    by.send("PATCH", f"/users/{uid}", {"role": "admin"}, token=admin.access)
    e = all_events(client, admin.access, user_id=uid, type="user.updated")[0]
    assert e["details"] == {"fields": ["role"], "old_role": "user", "new_role": "admin",
                            "old_is_active": True, "new_is_active": True}, e

    # Sent with the values it has: nothing changed, no field is named.
    r = by.send("PATCH", f"/users/{uid}", {"role": "admin", "is_active": True}, token=admin.access)
    assert r.status == 200, r
    e = all_events(client, admin.access, user_id=uid, type="user.updated")[0]
    assert e["request_id"] == by.rid and e["details"] == {
        "fields": [], "old_role": "admin", "new_role": "admin", "old_is_active": True,
        "new_is_active": True}, e

    assert_no_content(by.send("DELETE", f"/users/{uid}", token=admin.access))
    (e,) = all_events(client, admin.access, user_id=uid, type="user.deleted")
    assert_fields(e, outcome="success", actor_id=admin.id, subject_user_id=uid, **by.where())


@pytest.mark.parametrize("change, reason", [({"is_active": False}, "deactivated"),
                                            ({"role": "user"}, "demoted")])
def test_deactivating_or_demoting_ends_the_sessions_in_the_log(client, boss, change, reason):
    by, admin = boss
    acc = register(client)
    if reason == "demoted":
        assert client.patch(f"/users/{acc.id}", {"role": "admin"}, token=admin.access).status == 200
    r = by.send("PATCH", f"/users/{acc.id}", change, token=admin.access)
    assert r.status == 200, r
    events = all_events(client, admin.access, user_id=acc.id)
    updated = matching(events, type="user.updated")[0]  # the newest
    assert updated["details"]["fields"] == list(change), events
    assert_fields(updated, actor_id=admin.id, subject_user_id=acc.id, **by.where())
    ended = the_event(events, type="session.ended")
    assert_fields(ended, outcome="success", reason=reason, actor_id=admin.id,
                  subject_user_id=acc.id, session_id=None, **by.where())
    assert_error(client.get("/users/me", token=acc.access), 401, "INVALID_TOKEN")


def test_each_event_is_one_log_line_with_the_same_fields(server, client, admin):
    who = Caller(client)
    acc = who.register()
    assert who.send("POST", "/auth/login", {"email": acc.email, "password": WRONG_PASSWORD}).status == 401
    failed = wait_event(client, admin.access, {"reason": "wrong_password"}, type="auth.login", ip=who.ip)
    (registered,) = all_events(client, admin.access, user_id=acc.id, type="user.registered")
    lines = audit_lines(server)
    for e in (registered, failed):
        (line,) = [l for l in lines if l["id"] == e["id"]]
        for k in EVENT_KEYS - {"occurred_at", "details"}:
            assert line[k] == (e[k] if e[k] is not None else ""), (k, line, e)
        assert isinstance(line["details"], str) and json.loads(line["details"]) == e["details"], line


# ------------------------------------------------------------------- no secret anywhere


def test_a_whole_session_leaves_no_secret_in_any_event_nor_its_log_line(make_server):
    srv = make_server(**PROXIED, AUDIT_INCLUDE="session.refreshed")
    c = srv.client
    admin_password = "Adm1n-Aud1t-Passw0rd!"
    admin = srv.make_admin(password=admin_password)
    who = Caller(c)
    secrets = {PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, admin_password, admin.access, admin.refresh}

    acc = who.register()
    secrets |= {acc.access, acc.refresh}

    def hashes() -> None:
        for (hashed,) in db_rows(srv, "SELECT password_hash FROM users"):
            secrets.add(hashed)
            secrets.update(part for part in hashed.split("$") if len(part) >= 16)  # salt, hash

    hashes()
    who.send("POST", "/auth/login", {"email": acc.email, "password": WRONG_PASSWORD})
    who.send("POST", "/auth/login", {"email": unique_email("ghost"), "password": WRONG_PASSWORD})
    r = who.send("POST", "/auth/login", {"email": acc.email, "password": PASSWORD})
    device = r.headers["device-token"]
    session = account(acc.email, PASSWORD, assert_tokens(r, 200))
    r = who.send("POST", "/auth/login", {"email": acc.email, "password": PASSWORD},
                 headers={"Device-Token": device})
    second = account(acc.email, PASSWORD, assert_tokens(r, 200))
    secrets |= {device, r.headers["device-token"], session.access, session.refresh,
                second.access, second.refresh}
    pair = assert_tokens(who.send("POST", "/auth/refresh", {"refresh_token": session.refresh}), 200)
    secrets |= {pair["access_token"], pair["refresh_token"]}
    assert who.send("POST", "/auth/refresh", {"refresh_token": session.refresh}).status == 401  # reuse
    assert who.send("POST", "/auth/password", {"current_password": WRONG_PASSWORD,
                                               "new_password": NEW_PASSWORD}, token=acc.access).status == 401
    assert_no_content(who.send("POST", "/auth/password", {"current_password": PASSWORD,
                                                          "new_password": NEW_PASSWORD}, token=acc.access))
    after = who.login(acc.email, NEW_PASSWORD)
    secrets |= {after.access, after.refresh}
    assert_no_content(who.send("POST", "/auth/logout", {"refresh_token": after.refresh}))
    assert who.send("POST", "/auth/logout", {"refresh_token": after.refresh}).status == 401
    assert_no_content(who.send("POST", "/auth/logout-all", token=acc.access))
    made_password = "Made-Us3r-Passw0rd!"
    secrets.add(made_password)
    r = c.post("/users", {"email": unique_email("made"), "password": made_password}, token=admin.access)
    made = r.json["id"]
    made_session = login(c, r.json["email"], made_password)
    secrets |= {made_session.access, made_session.refresh}
    hashes()
    assert c.patch(f"/users/{made}", {"role": "admin"}, token=admin.access).status == 200
    assert c.patch(f"/users/{made}", {"is_active": False}, token=admin.access).status == 200
    assert_no_content(c.delete(f"/users/{acc.id}/sessions", token=admin.access))
    assert_no_content(c.delete(f"/users/{made}", token=admin.access))
    reader = login(c, acc.email, NEW_PASSWORD)
    secrets |= {reader.access, reader.refresh}
    hashes()
    for token in list(secrets):
        if token.count(".") == 2:  # a JWT: its signature and its jti too
            secrets.add(token.rsplit(".", 1)[1])
            secrets.add(jwt_claims(token)["jti"])
    # Each event's line is written when it happens; its row, for a failure, a moment later.
    # `gatehouse create-admin` (reason "cli") writes its line to its own output, not the server's.
    def served() -> list[dict]:
        return [e for e in all_events(c, admin.access) if e["reason"] != "cli"]

    # Both lag a moment (the log line is written by the logger, a failure's row by the batch
    # writer), so equal counts alone can pair a missing row with a missing line: wait for the ids.
    def line_ids() -> list[str]:
        return sorted(l["id"] for l in audit_lines(srv))

    assert wait_until(lambda: sorted(e["id"] for e in served()) == line_ids(), timeout=10), \
        "one line per event"
    events = served()
    own = all_events(c, reader.access, "/users/me/audit-events")
    assert own and all(e["subject_user_id"] == acc.id for e in own), own
    types = {e["type"] for e in events}
    assert types >= {"user.registered", "auth.login", "session.refreshed", "session.refresh_reuse",
                     "password.changed", "session.ended", "user.created", "user.updated",
                     "user.deleted"}, types
    lines = audit_lines(srv)
    assert sorted(l["id"] for l in lines) == sorted(e["id"] for e in events), "one line per event"
    text = json.dumps(events) + json.dumps(own) + json.dumps(lines)
    for secret in secrets:
        assert len(secret) >= 8 and secret not in text, f"a secret is in the audit log: {secret[:6]}..."


# ------------------------------------------------------------------- reading: filters, pages


@pytest.fixture(scope="module")
def cast(client, admin):
    """A few known events: two users from two addresses (one IPv6), a failed login, a user
    made by the admin."""
    a_from, b_from = Caller(client, ip="198.51.100.20"), Caller(client, ip="2001:db8::20")
    a = a_from.register()
    b = b_from.register()
    assert a_from.send("POST", "/auth/login", {"email": a.email, "password": WRONG_PASSWORD}).status == 401
    wait_event(client, admin.access, {"outcome": "failure"}, user_id=a.id)
    r = client.post("/users", {"email": unique_email("made"), "password": PASSWORD}, token=admin.access)
    return {"a": a, "b": b, "made": r.json["id"]}


def test_filters_by_type_list_and_outcome(client, admin, cast):
    events = all_events(client, admin.access, type="user.registered,user.created")
    assert events and {e["type"] for e in events} == {"user.registered", "user.created"}, events
    ids = {e["subject_user_id"] for e in events}
    assert {cast["a"].id, cast["b"].id, cast["made"]} <= ids
    everything = all_events(client, admin.access)
    assert [e["id"] for e in events] == [e["id"] for e in everything
                                         if e["type"] in ("user.registered", "user.created")]

    failures = all_events(client, admin.access, outcome="failure")
    assert failures and all(e["outcome"] == "failure" for e in failures), failures
    assert matching(failures, subject_user_id=cast["a"].id, reason="wrong_password")
    assert len(failures) == len(matching(everything, outcome="failure"))


def test_user_id_matches_the_subject_or_the_actor_and_actor_id_only_the_actor(client, admin, cast):
    made = all_events(client, admin.access, user_id=cast["made"])
    (created,) = made
    assert created["type"] == "user.created" and created["actor_id"] == admin.id, made
    by_admin = all_events(client, admin.access, user_id=admin.id)
    assert created["id"] in [e["id"] for e in by_admin]
    assert all(admin.id in (e["actor_id"], e["subject_user_id"]) for e in by_admin), by_admin
    acting = all_events(client, admin.access, actor_id=admin.id)
    assert created["id"] in [e["id"] for e in acting]
    assert all(e["actor_id"] == admin.id for e in acting), acting
    assert all_events(client, admin.access, actor_id=cast["made"]) == []
    # Filters combine.
    (reg,) = all_events(client, admin.access, user_id=cast["a"].id, type="user.registered")
    assert reg["subject_user_id"] == cast["a"].id


def test_filters_by_address_in_any_spelling(client, admin, cast):
    v4 = all_events(client, admin.access, ip="198.51.100.20")
    assert {e["ip"] for e in v4} == {"198.51.100.20"} and len(v4) == 2, v4  # registered, failed
    v6 = all_events(client, admin.access, ip="2001:0db8:0:0::20")
    assert [e["subject_user_id"] for e in v6] == [cast["b"].id] and v6[0]["ip"] == "2001:db8::20", v6
    assert all_events(client, admin.access, ip="192.0.2.1") == []


def test_since_is_inclusive_and_until_exclusive(client, admin, cast):
    everything = all_events(client, admin.access)
    middle = everything[len(everything) // 2]
    at = middle["occurred_at"]
    later = all_events(client, admin.access, since=at)
    earlier = all_events(client, admin.access, until=at)
    assert all(parse_time(e["occurred_at"]) >= parse_time(at) for e in later)
    assert all(parse_time(e["occurred_at"]) < parse_time(at) for e in earlier)
    assert middle["id"] in [e["id"] for e in later] and middle["id"] not in [e["id"] for e in earlier]
    # Together they are the whole log as it was, each event once.
    seen = [e["id"] for e in later] + [e["id"] for e in earlier]
    assert len(seen) == len(set(seen))
    assert set(e["id"] for e in everything) <= set(seen)
    window = all_events(client, admin.access, since=everything[-1]["occurred_at"], until=at)
    assert [e["id"] for e in window] == [e["id"] for e in earlier]
    # An offset other than Z names the same instant.
    offset = parse_time(at).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    assert [e["id"] for e in all_events(client, admin.access, since=offset)] == [e["id"] for e in later]


def test_pages_are_newest_first_without_gap_or_duplicate_while_events_arrive(make_server):
    srv = make_server(**PROXIED)
    c = srv.client
    admin = srv.make_admin()
    for _ in range(7):
        register(c)
    before = all_events(c, admin.access)
    assert len(before) >= 8
    keys = [(parse_time(e["occurred_at"]), e["id"]) for e in before]
    assert keys == sorted(keys, reverse=True), "not newest first"
    got, cursor, added = [], None, 0
    while True:
        body = page(c, admin.access, limit=3, **({"cursor": cursor} if cursor else {}))
        assert len(body["items"]) <= 3
        got += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
        register(c)  # newer than every page: never shows up in the ones that follow
        added += 1
    assert [e["id"] for e in got] == [e["id"] for e in before]
    after = all_events(c, admin.access)
    assert added >= 2 and len(after) == len(before) + added
    assert [e["id"] for e in after[added:]] == [e["id"] for e in before]


@pytest.mark.parametrize("query, loc", [
    ("type=user.nothing", "type"), ("type=", "type"), ("type=user.registered,,auth.login", "type"),
    ("outcome=maybe", "outcome"), ("user_id=42", "user_id"), ("actor_id=nobody", "actor_id"),
    ("ip=999.1.2.3", "ip"), ("ip=example.com", "ip"), ("since=yesterday", "since"),
    ("until=2026-13-01T00:00:00Z", "until"), ("limit=0", "limit"), ("limit=101", "limit"),
    ("limit=ten", "limit"), ("cursor=garbage", "cursor"),
])
def test_bad_filters_are_422_naming_the_parameter(client, admin, query, loc):
    assert_error(client.get(f"/admin/audit-events?{query}", token=admin.access), 422,
                 "VALIDATION_ERROR", loc=["query", loc])


@pytest.mark.parametrize("query, loc", [("limit=0", "limit"), ("cursor=garbage", "cursor")])
def test_bad_paging_of_the_own_list_is_422(client, query, loc):
    acc = register(client)
    assert_error(client.get(f"/users/me/audit-events?{query}", token=acc.access), 422,
                 "VALIDATION_ERROR", loc=["query", loc])


def test_the_own_list_shows_only_the_callers_events(client, admin):
    acc = register(client)
    other = register(client)
    login(client, acc.email, PASSWORD)
    client.post("/auth/login", {"email": acc.email, "password": WRONG_PASSWORD})
    assert client.patch(f"/users/{acc.id}", {"role": "admin"}, token=admin.access).status == 200
    wait_event(client, admin.access, {"reason": "wrong_password"}, user_id=acc.id)
    mine = all_events(client, acc.access, "/users/me/audit-events")
    assert mine and all(e["subject_user_id"] == acc.id for e in mine), mine
    assert [e["type"] for e in mine] == ["user.updated", "auth.login", "auth.login",
                                         "user.registered"], mine
    full = all_events(client, admin.access, user_id=acc.id)
    assert [e["id"] for e in mine] == [e["id"] for e in full]
    # Where someone else acted from is theirs, not the user's (test_audit_privacy.py).
    assert mine[0]["actor_id"] == admin.id and mine[0]["ip"] is None
    # One at a time, by cursor, the same list.
    got, cursor = [], None
    while True:
        body = page(client, acc.access, "/users/me/audit-events", limit=1,
                    **({"cursor": cursor} if cursor else {}))
        got += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert got == mine
    # What the admin did to others is not in the admin's own list.
    admin_own = all_events(client, admin.access, "/users/me/audit-events")
    assert all(e["subject_user_id"] == admin.id for e in admin_own), admin_own
    assert [e["subject_user_id"] for e in all_events(client, other.access, "/users/me/audit-events")] \
        == [other.id]


def test_reading_needs_a_token_and_the_log_an_admin(client):
    acc = register(client)
    for path in ("/admin/audit-events", "/users/me/audit-events"):
        assert_error(client.get(path), 401, "NOT_AUTHENTICATED")
        assert_error(client.get(path, token="nonsense"), 401, "INVALID_TOKEN")
    assert_error(client.get("/admin/audit-events", token=acc.access), 403, "FORBIDDEN")
    assert client.get("/users/me/audit-events", token=acc.access).status == 200


# ------------------------------------------------------------------- one transaction


def test_a_refused_change_writes_no_event(make_server):
    srv = make_server(**PROXIED)
    c = srv.client
    admin = srv.make_admin()
    acc = register(c)
    before = all_events(c, admin.access)
    counted = metric(c, "gatehouse_audit_events_total", type="user.updated", outcome="success")
    for change in ({"role": "user"}, {"is_active": False}):
        assert_error(c.patch(f"/users/{admin.id}", change, token=admin.access), 409, "LAST_ADMIN")
    assert_error(c.delete(f"/users/{admin.id}", token=admin.access), 409, "LAST_ADMIN")
    absent = str(uuid.uuid4())
    assert_error(c.patch(f"/users/{absent}", {"role": "admin"}, token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(c.delete(f"/users/{absent}", token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(c.delete(f"/users/{absent}/sessions", token=admin.access), 404, "USER_NOT_FOUND")
    assert_error(c.delete(f"/users/me/sessions/{uuid.uuid4()}", token=acc.access), 404,
                 "SESSION_NOT_FOUND")
    assert_error(c.post("/auth/register", {"email": acc.email, "password": PASSWORD}), 409, "EMAIL_TAKEN")
    settle(c)
    assert all_events(c, admin.access) == before
    assert metric(c, "gatehouse_audit_events_total", type="user.updated", outcome="success") == counted
    assert int(db_rows(srv, "SELECT COUNT(*) FROM audit_events")[0][0]) == len(before)


# ------------------------------------------------------------------- settings


def test_audit_disabled_writes_nothing(make_server):
    srv = make_server(**PROXIED, AUDIT_ENABLED="false")
    c = srv.client
    admin = srv.make_admin()
    acc = register(c)
    c.post("/auth/login", {"email": acc.email, "password": WRONG_PASSWORD})
    c.post("/auth/refresh", {"refresh_token": "bad.refresh.token"})
    assert_no_content(c.post("/auth/logout", {"refresh_token": acc.refresh}))
    assert c.patch(f"/users/{acc.id}", {"is_active": False}, token=admin.access).status == 200
    settle(c)
    assert page(c, admin.access)["items"] == []
    assert int(db_rows(srv, "SELECT COUNT(*) FROM audit_events")[0][0]) == 0
    assert audit_lines(srv) == []
    for t in TYPES:
        for outcome in ("success", "failure"):
            assert metric(c, "gatehouse_audit_events_total", type=t, outcome=outcome) == 0


def test_audit_include_records_successful_refreshes(make_server):
    srv = make_server(**PROXIED, AUDIT_INCLUDE="session.refreshed")
    c = srv.client
    admin = srv.make_admin()
    acc = register(c)
    who = Caller(c)
    assert_tokens(who.send("POST", "/auth/refresh", {"refresh_token": acc.refresh}), 200)
    (e,) = all_events(c, admin.access, type="session.refreshed")  # no polling: a success
    assert_fields(e, outcome="success", actor_id=acc.id, subject_user_id=acc.id,
                  session_id=sid(acc), reason=None, **who.where())
    assert metric(c, "gatehouse_audit_events_total", type="session.refreshed", outcome="success") == 1


@pytest.mark.parametrize("value", ["user.registered", "session.refreshed,bogus", "session.refresh"])
def test_a_bad_audit_include_refuses_to_start(make_server, value):
    srv = make_server(start=False)
    r = srv.cli("serve", env={"AUDIT_INCLUDE": value}, timeout=10)
    assert r.returncode == 2, r
    assert "AUDIT_INCLUDE" in r.stderr, r.stderr


# ------------------------------------------------------------------- retention


def insert_event(srv: Server, age_days: float) -> str:
    """An event `age_days` old, written straight into the database."""
    event_id = str(uuid.uuid4())
    if TEST_DATABASE == "sqlite":
        at = int((time.time() - age_days * 86400) * 1_000_000)
        db_rows(srv, "INSERT INTO audit_events (id, occurred_at, type, outcome) VALUES (?, ?, ?, ?)",
                event_id, at, "user.registered", "success")
    else:
        db_rows(srv, "INSERT INTO audit_events (id, occurred_at, type, outcome) VALUES "
                f"(?, now() - interval '{float(age_days)} days', ?, ?)",
                event_id, "user.registered", "success")
    return event_id


def stored(srv: Server, event_id: str) -> bool:
    return int(db_rows(srv, "SELECT COUNT(*) FROM audit_events WHERE id = ?", event_id)[0][0]) == 1


def test_events_past_the_retention_are_purged(make_server):
    srv = make_server(AUDIT_RETENTION_DAYS="1", AUDIT_PURGE_INTERVAL_SECONDS="1")
    c = srv.client
    acc = register(c)
    old = [insert_event(srv, 2), insert_event(srv, 400)]
    recent = insert_event(srv, 0.5)
    assert wait_until(lambda: not any(stored(srv, e) for e in old), timeout=30), "never purged"
    assert stored(srv, recent)
    assert int(db_rows(srv, "SELECT COUNT(*) FROM audit_events WHERE subject_user_id = ?", acc.id)[0][0]) == 1
    assert metric(c, "gatehouse_audit_events_purged_total") == 2
    assert metric(c, "gatehouse_audit_purge_last_success_timestamp_seconds") > 0


def test_a_retention_of_zero_keeps_every_event(make_server):
    srv = make_server(AUDIT_RETENTION_DAYS="0", AUDIT_PURGE_INTERVAL_SECONDS="1")
    c = srv.client
    old = insert_event(srv, 4000)
    time.sleep(2.5)  # past two runs, were there any
    assert stored(srv, old)
    assert metric(c, "gatehouse_audit_events_purged_total") == 0


# ------------------------------------------------------------------- metrics


def test_events_are_counted_by_type_and_outcome(client, admin):
    def count(t: str, outcome: str) -> float:
        return metric(client, "gatehouse_audit_events_total", type=t, outcome=outcome)

    registered, failed = count("user.registered", "success"), count("auth.login", "failure")
    logins = count("auth.login", "success")
    acc = register(client)
    client.post("/auth/login", {"email": acc.email, "password": WRONG_PASSWORD})
    client.post("/auth/login", {"email": unique_email("ghost"), "password": WRONG_PASSWORD})
    assert count("user.registered", "success") == registered + 1
    assert count("auth.login", "failure") == failed + 2
    assert count("auth.login", "success") == logins
    assert metric(client, "gatehouse_audit_dropped_total") == 0
    settle(client)
    assert metric(client, "gatehouse_audit_queue_depth") == 0


def test_create_admin_is_audited_with_no_actor_and_reason_cli(server, client):
    email = unique_email("operator")
    r = server.create_admin(email, "Adm1n-P@ssw0rd!")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(l) for l in r.stderr.splitlines() if '"event":"audit"' in l]
    assert [(l["type"], l["reason"]) for l in lines] == [("user.created", "cli")]
    admin = login(client, email, "Adm1n-P@ssw0rd!")
    e = the_event(all_events(client, admin.access, type="user.created"), id=lines[0]["id"])
    assert_fields(e, outcome="success", actor_id=None, subject_user_id=admin.id, reason="cli",
                  details={"role": "admin"})
    # Run again for the same address: a promotion, with the new password.
    r = server.create_admin(email, "An0ther-P@ssw0rd!")
    assert r.returncode == 0, r.stderr
    again = [json.loads(l) for l in r.stderr.splitlines() if '"event":"audit"' in l]
    assert [(l["type"], l["reason"]) for l in again] == [("user.updated", "cli")]
    admin = login(client, email, "An0ther-P@ssw0rd!")
    e = the_event(all_events(client, admin.access, type="user.updated"), id=again[0]["id"])
    assert e["details"]["password"] is True and e["actor_id"] is None
