"""Sessions: refresh rotation and reuse detection, logout, logout-all, password change."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from client import (
    PASSWORD, assert_error, assert_no_content, assert_tokens, jwt_claims, login, register,
)


def me_status(client, token):
    return client.get("/users/me", token=token).status


def assert_dead(client, acc_or_tokens):
    """Both tokens of a session are refused."""
    access, refresh = acc_or_tokens
    assert_error(client.get("/users/me", token=access), 401, "INVALID_TOKEN")
    assert_error(client.post("/auth/refresh", {"refresh_token": refresh}), 401, "INVALID_TOKEN")


# ------------------------------------------------------------------- refresh


def test_refresh_rotates_the_pair_within_the_session(client):
    acc = register(client)
    r = client.post("/auth/refresh", {"refresh_token": acc.refresh})
    tok = assert_tokens(r, 200)
    assert tok["access_token"] != acc.access and tok["refresh_token"] != acc.refresh
    old, new = jwt_claims(acc.refresh), jwt_claims(tok["refresh_token"])
    assert new["sub"] == old["sub"] and new["sid"] == old["sid"], (old, new)
    assert new["jti"] != old["jti"]
    assert jwt_claims(tok["access_token"])["type"] == "access"
    assert new["type"] == "refresh"
    me = client.get("/users/me", token=tok["access_token"])
    assert me.status == 200 and me.json["id"] == acc.id, me
    # The new refresh token rotates again.
    assert_tokens(client.post("/auth/refresh", {"refresh_token": tok["refresh_token"]}), 200)


def test_rotated_refresh_token_is_refused(client):
    acc = register(client)
    assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)
    assert_error(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")


def test_reuse_of_a_rotated_refresh_token_revokes_the_whole_session(client):
    acc = register(client)
    other_session = login(client, acc.email, acc.password)
    tok = assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)
    assert me_status(client, tok["access_token"]) == 200
    # An attacker replays the stolen, already-rotated token.
    assert_error(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")
    # The legitimate holder's new pair is now dead too.
    assert_dead(client, (tok["access_token"], tok["refresh_token"]))
    # Other sessions of the same user are untouched.
    assert me_status(client, other_session.access) == 200
    assert_tokens(client.post("/auth/refresh", {"refresh_token": other_session.refresh}), 200)


def test_concurrent_refresh_with_one_token_succeeds_at_most_once(client):
    acc = register(client)
    with ThreadPoolExecutor(max_workers=6) as ex:
        results = list(ex.map(lambda _: client.post("/auth/refresh", {"refresh_token": acc.refresh}), range(6)))
    ok = [r for r in results if r.status == 200]
    assert len(ok) == 1, f"{len(ok)} of 6 concurrent refreshes with one token succeeded: {results}"
    for r in results:
        if r.status != 200:
            assert_error(r, 401, "INVALID_TOKEN")


def test_access_token_cannot_refresh(client):
    acc = register(client)
    assert_error(client.post("/auth/refresh", {"refresh_token": acc.access}), 401, "INVALID_TOKEN")
    # The session is not harmed by the mistake.
    assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "x" * 3000])
def test_refresh_with_a_bad_token(client, token):
    assert_error(client.post("/auth/refresh", {"refresh_token": token}), 401, "INVALID_TOKEN")


@pytest.mark.parametrize("payload", [{}, {"refresh_token": None}, {"refresh_token": 123}, {"token": "x"}])
def test_refresh_validation(client, payload):
    assert_error(client.post("/auth/refresh", payload), 422, "VALIDATION_ERROR", loc=["body", "refresh_token"])


# ------------------------------------------------------------------- logout


def test_logout_ends_only_that_session(client):
    acc = register(client)
    other = login(client, acc.email, acc.password)
    r = client.post("/auth/logout", {"refresh_token": acc.refresh})
    assert_no_content(r)
    assert_dead(client, (acc.access, acc.refresh))
    assert me_status(client, other.access) == 200
    assert_tokens(client.post("/auth/refresh", {"refresh_token": other.refresh}), 200)


def test_logout_twice_is_refused(client):
    acc = register(client)
    assert_no_content(client.post("/auth/logout", {"refresh_token": acc.refresh}))
    assert_error(client.post("/auth/logout", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")


def test_logout_after_rotation_uses_the_current_refresh_token(client):
    acc = register(client)
    tok = assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)
    assert_no_content(client.post("/auth/logout", {"refresh_token": tok["refresh_token"]}))
    assert_dead(client, (tok["access_token"], tok["refresh_token"]))


def test_logout_with_a_spent_refresh_token_ends_the_session_as_reuse(client):
    """The thief rotated the stolen token first; the owner logs out with the one they hold.
    That token is spent: presenting it is reuse, so the session ends for the thief too."""
    acc = register(client)
    thief = assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)
    assert_error(client.post("/auth/logout", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")
    assert_dead(client, (thief["access_token"], thief["refresh_token"]))


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_logout_with_a_bad_token(client, token):
    assert_error(client.post("/auth/logout", {"refresh_token": token}), 401, "INVALID_TOKEN")


def test_logout_with_an_access_token_is_refused(client):
    acc = register(client)
    assert_error(client.post("/auth/logout", {"refresh_token": acc.access}), 401, "INVALID_TOKEN")
    assert me_status(client, acc.access) == 200


def test_logout_validation(client):
    assert_error(client.post("/auth/logout", {}), 422, "VALIDATION_ERROR", loc=["body", "refresh_token"])


# ------------------------------------------------------------------- logout-all


def test_logout_all_ends_every_session(client):
    acc = register(client)
    sessions = [acc, login(client, acc.email, acc.password), login(client, acc.email, acc.password)]
    bystander = register(client)
    r = client.post("/auth/logout-all", token=sessions[1].access)
    assert_no_content(r)
    for s in sessions:
        assert_dead(client, (s.access, s.refresh))
    assert me_status(client, bystander.access) == 200
    # The user can still log in afterwards.
    again = login(client, acc.email, acc.password)
    assert me_status(client, again.access) == 200


def test_logout_all_requires_a_bearer(client):
    r = client.post("/auth/logout-all")
    assert_error(r, 401, "NOT_AUTHENTICATED")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer"), r


def test_logout_all_refuses_a_refresh_token(client):
    acc = register(client)
    assert_error(client.post("/auth/logout-all", token=acc.refresh), 401, "INVALID_TOKEN")
    assert me_status(client, acc.access) == 200


# ------------------------------------------------------------------- password change


def test_password_change_ends_other_sessions_only(client):
    acc = register(client)
    other = login(client, acc.email, acc.password)
    new_password = "N3w-Passw0rd!"
    r = client.post("/auth/password", {"current_password": acc.password, "new_password": new_password}, token=acc.access)
    assert_no_content(r)
    # The current session goes on.
    assert me_status(client, acc.access) == 200
    assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)
    # Every other session ends.
    assert_dead(client, (other.access, other.refresh))
    # Old password out, new password in.
    assert_error(client.post("/auth/login", {"email": acc.email, "password": acc.password}), 401, "INVALID_CREDENTIALS")
    login(client, acc.email, new_password)


def test_password_change_with_wrong_current_password(client):
    acc = register(client)
    other = login(client, acc.email, acc.password)
    r = client.post("/auth/password", {"current_password": "not-my-password", "new_password": "N3w-Passw0rd!"}, token=acc.access)
    assert_error(r, 401, "INVALID_CREDENTIALS")
    # Nothing changed.
    assert me_status(client, acc.access) == 200
    assert me_status(client, other.access) == 200
    login(client, acc.email, acc.password)
    assert_error(client.post("/auth/login", {"email": acc.email, "password": "N3w-Passw0rd!"}), 401, "INVALID_CREDENTIALS")


@pytest.mark.parametrize("payload, loc", [
    ({"current_password": PASSWORD, "new_password": "short"}, ["body", "new_password"]),
    ({"current_password": PASSWORD, "new_password": "p" * 129}, ["body", "new_password"]),
    ({"current_password": PASSWORD}, ["body", "new_password"]),
    ({"new_password": "N3w-Passw0rd!"}, ["body", "current_password"]),
    ({"current_password": PASSWORD, "new_password": 12345678}, ["body", "new_password"]),
])
def test_password_change_validation(client, payload, loc):
    acc = register(client)
    assert_error(client.post("/auth/password", payload, token=acc.access), 422, "VALIDATION_ERROR", loc=loc)
    login(client, acc.email, acc.password)


def test_password_change_requires_a_bearer(client):
    r = client.post("/auth/password", {"current_password": PASSWORD, "new_password": "N3w-Passw0rd!"})
    assert_error(r, 401, "NOT_AUTHENTICATED")


def test_password_change_refuses_a_refresh_token(client):
    acc = register(client)
    r = client.post("/auth/password", {"current_password": acc.password, "new_password": "N3w-Passw0rd!"}, token=acc.refresh)
    assert_error(r, 401, "INVALID_TOKEN")
    login(client, acc.email, acc.password)
