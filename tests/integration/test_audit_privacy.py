"""The audit log as an attacker reads it: what a person's own list shows of others."""
from __future__ import annotations

import time

from client import login, register


def own_events(client, acc, **params):
    query = "&".join(f"{k}={v}" for k, v in {"limit": 100, **params}.items())
    r = client.get(f"/users/me/audit-events?{query}", token=acc.access)
    assert r.status == 200, r
    return r.json["items"]


def test_own_list_hides_where_an_admin_acted_from(client, admin):
    """An admin's address, browser, request id and session are the admin's, not the user's:
    the user sees that an admin acted, never from where."""
    user = register(client)
    admin_agent = {"User-Agent": "AdminConsole/9 (office)", "X-Request-ID": "admin-req-7"}
    r = client.patch(f"/users/{user.id}", {"role": "admin"}, token=admin.access,
                     headers=admin_agent)
    assert r.status == 200, r
    r = client.patch(f"/users/{user.id}", {"role": "user"}, token=admin.access,
                     headers=admin_agent)
    assert r.status == 200, r
    login(client, user.email, user.password)  # a session for the admin to end
    r = client.delete(f"/users/{user.id}/sessions", token=admin.access, headers=admin_agent)
    assert r.status == 204, r
    mine = login(client, user.email, user.password)

    by_admin = [e for e in own_events(client, mine) if e["actor_id"] == admin.id]
    assert {e["type"] for e in by_admin} == {"user.updated", "session.ended"}, by_admin
    for e in by_admin:
        assert e["subject_user_id"] == user.id, e
        assert e["ip"] is None and e["user_agent"] is None and e["request_id"] is None, e
        assert e["session_id"] is None, e

    # The admin's own view keeps all of it.
    r = client.get(f"/admin/audit-events?user_id={user.id}&type=user.updated", token=admin.access)
    assert r.status == 200, r
    assert r.json["items"], r
    for e in r.json["items"]:
        assert e["user_agent"] == "AdminConsole/9 (office)" and e["request_id"] == "admin-req-7", e
        assert e["ip"] and e["session_id"], e


def test_own_list_keeps_where_the_user_and_attackers_acted_from(client):
    user = register(client)
    r = client.post("/auth/login", {"email": user.email, "password": "Wr0ng-guess!"},
                    headers={"User-Agent": "guesser/1", "X-Request-ID": "guess-1"})
    assert r.status == 401, r
    deadline = time.monotonic() + 5
    while True:  # the failure goes through the background writer
        events = own_events(client, user)
        failed = [e for e in events if e["type"] == "auth.login" and e["outcome"] == "failure"]
        if failed or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(failed) == 1, events
    assert failed[0]["user_agent"] == "guesser/1" and failed[0]["request_id"] == "guess-1"
    assert failed[0]["ip"] == "127.0.0.1", failed[0]
    registered = [e for e in events if e["type"] == "user.registered"]
    assert registered and registered[0]["ip"] == "127.0.0.1" and registered[0]["session_id"]
