"""An attacker with a client and, sometimes, a valid account: login throttling per account
and per address, forged X-Forwarded-For, imported bcrypt hashes and Argon2id re-hashing,
token issuer/audience/leeway, security headers, production start checks, secrets kept out
of logs, and hostile JSON and SQL in every field (with proof the database did not change)."""
from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import TEST_DATABASE, db_rows
from client import (
    PASSWORD, SECRET_KEY, assert_error, assert_tokens, jwt_claims, jwt_encode, jwt_parts,
    login, register, unique_email,
)

KEY = SECRET_KEY.encode()
# Written by passlib 1.7.4 (`passlib.hash.bcrypt`, default cost 12), as the reference app
# stores passwords.
PASSLIB_HASH = "$2b$12$p2T/k9crvau03LbMjs4FlO6fisJGrpWlaLT54JRPchSfFxQOF9qse"
PASSLIB_PASSWORD = "correct horse battery staple"


def stored_hash(srv, email: str) -> str:
    rows = db_rows(srv, "SELECT password_hash FROM users WHERE email = ?", email)
    assert rows, f"no user {email}"
    return rows[0][0]


def attempt(c, email, password, headers=None):
    return c.post("/auth/login", {"email": email, "password": password}, headers=headers)


# ------------------------------------------------------------------- login throttling


def test_account_throttle_is_a_429_for_that_account_only(make_server):
    srv = make_server(LOGIN_MAX_FAILURES=3, LOGIN_FAILURE_WINDOW_SECONDS=900)
    c = srv.client
    victim, bystander = register(c), register(c)
    for i in range(3):
        assert_error(attempt(c, victim.email, f"wrong-{i}-password"), 401, "INVALID_CREDENTIALS")
    r = attempt(c, victim.email, victim.password)  # even the right password, for now
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert 1 <= int(r.headers["retry-after"]) <= 900, r
    login(c, bystander.email, bystander.password)  # other accounts are untouched


def test_guesses_sent_at_once_count_against_the_account_limit(make_server):
    """A failure is counted after its hash; guesses in flight together must not all get one."""
    srv = make_server(LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=1000,
                      PASSWORD_HASH_QUEUE=64)
    c = srv.client
    victim = register(c)
    barrier = threading.Barrier(20)

    def guess(i: int):
        barrier.wait()
        return attempt(c, victim.email, f"wrong-{i}-password")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(guess, range(20)))
    guessed = [r for r in answers if r.status == 401]
    assert 1 <= len(guessed) <= 3, [r.status for r in answers]
    for r in answers:
        if r.status != 401:
            assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
            assert int(r.headers["retry-after"]) >= 1, r
    # The three failures allowed are spent: even the right password waits now.
    assert_error(attempt(c, victim.email, victim.password), 429, "TOO_MANY_LOGIN_ATTEMPTS")


def test_an_attacker_at_one_address_cannot_keep_the_owner_at_another_out(make_server):
    """Failures count per account and address: the attacker locks out only themself."""
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", LOGIN_MAX_FAILURES=3)
    c = srv.client
    victim = register(c)
    attacker = {"X-Forwarded-For": "203.0.113.66"}
    statuses = [attempt(c, victim.email, f"wrong-{i}-password", headers=attacker).status
                for i in range(10)]
    assert statuses[:3] == [401] * 3 and set(statuses[3:]) == {429}, statuses
    assert_error(attempt(c, victim.email, victim.password, headers=attacker), 429,
                 "TOO_MANY_LOGIN_ATTEMPTS")
    # The owner, at home, is not the attacker: the right password works.
    owner = {"X-Forwarded-For": "198.51.100.7"}
    assert_tokens(attempt(c, victim.email, victim.password, headers=owner), 200)
    # And so does it from another IPv6 network, while the attacker's /64 shares one count.
    v6 = [attempt(c, victim.email, "wrong-password-6", headers={"X-Forwarded-For": f"2001:db8:6::{i}"})
          for i in range(1, 6)]
    assert [r.status for r in v6] == [401, 401, 401, 429, 429], v6
    assert_tokens(attempt(c, victim.email, victim.password,
                          headers={"X-Forwarded-For": "2001:db8:7::1"}), 200)


def test_a_distributed_attack_reaches_the_account_wide_limit(make_server):
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", LOGIN_MAX_FAILURES=3,
                      LOGIN_MAX_FAILURES_PER_ACCOUNT=4)
    c = srv.client
    victim = register(c)
    for i in range(4):  # one guess from each of four addresses
        r = attempt(c, victim.email, "wrong-password", headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
        assert_error(r, 401, "INVALID_CREDENTIALS")
    r = attempt(c, victim.email, "wrong-password", headers={"X-Forwarded-For": "203.0.113.9"})
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert int(r.headers["retry-after"]) >= 1, r


def test_a_device_token_from_an_earlier_login_passes_the_account_wide_limit(make_server):
    """The owner's client keeps the Device-Token of its last login and sends it on the next:
    a distributed attack that spent the account's budget does not lock that client out."""
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", LOGIN_MAX_FAILURES=3,
                      LOGIN_MAX_FAILURES_PER_ACCOUNT=2)
    c = srv.client
    victim = register(c)
    home = {"X-Forwarded-For": "198.51.100.7"}
    first = attempt(c, victim.email, victim.password, headers=home)
    assert_tokens(first, 200)
    device = first.headers["device-token"]
    assert device, first
    for i in range(2):
        attempt(c, victim.email, "wrong-password", headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
    assert_error(attempt(c, victim.email, victim.password, headers=home), 429, "TOO_MANY_LOGIN_ATTEMPTS")
    with_device = {**home, "Device-Token": device}
    assert_tokens(attempt(c, victim.email, victim.password, headers=with_device), 200)
    # The token is the account's: it buys another account nothing, nor does a forged one.
    other = register(c)
    for i in range(2):
        attempt(c, other.email, "wrong-password", headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})
    for token in (device, device[:-2] + ("AA" if not device.endswith("AA") else "BB")):
        r = attempt(c, other.email, other.password, headers={**home, "Device-Token": token})
        assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    # A password change voids every device's standing: the token is bound to the password.
    changed = "Ch4nged-Passw0rd!"
    fresh = attempt(c, victim.email, victim.password, headers=with_device)
    assert_tokens(fresh, 200)
    r = c.post("/auth/password", {"current_password": victim.password, "new_password": changed},
               token=fresh.json["access_token"], headers=home)
    assert r.status == 204, r
    for i in range(2):
        attempt(c, victim.email, "wrong-password", headers={"X-Forwarded-For": f"203.0.113.{i + 5}"})
    assert_error(attempt(c, victim.email, changed, headers=with_device), 429, "TOO_MANY_LOGIN_ATTEMPTS")
    with_device = {**home, "Device-Token": fresh.headers["device-token"]}
    assert_error(attempt(c, victim.email, changed, headers=with_device), 429, "TOO_MANY_LOGIN_ATTEMPTS")


def test_guessing_with_a_device_token_is_limited_per_device(make_server):
    srv = make_server(LOGIN_MAX_FAILURES=3)
    c = srv.client
    victim = register(c)
    first = attempt(c, victim.email, victim.password)
    with_device = {"Device-Token": first.headers["device-token"]}
    # Guessing with a device token is still limited, per device.
    for i in range(3):
        r = attempt(c, victim.email, f"wrong-{i}-password", headers=with_device)
        assert_error(r, 401, "INVALID_CREDENTIALS")
    assert_error(attempt(c, victim.email, victim.password, headers=with_device), 429,
                 "TOO_MANY_LOGIN_ATTEMPTS")
    # ... and the address, without the token, has its own count still.
    assert_tokens(attempt(c, victim.email, victim.password), 200)


def test_the_owners_logins_sent_at_once_all_succeed(make_server):
    """Several tabs or workers logging in together with the right password: none is refused
    for the throttle's place-holding, they wait for each other instead."""
    srv = make_server(LOGIN_MAX_FAILURES=5, PASSWORD_HASH_QUEUE=64)
    c = srv.client
    owner = register(c)
    barrier = threading.Barrier(16)

    def sign_in(_: int):
        barrier.wait()
        return attempt(c, owner.email, owner.password)

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(sign_in, range(16)))
    assert [r.status for r in answers] == [200] * 16, [(r.status, r.body[:80]) for r in answers]


def test_wrong_current_passwords_count_as_failed_logins(make_server):
    """A stolen access token must not buy unlimited guesses at the current password."""
    srv = make_server(LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=1000)
    c = srv.client
    victim = register(c)
    for i in range(3):
        r = c.post("/auth/password", {"current_password": f"guess-{i}-password",
                                      "new_password": "N3w-Passw0rd!"}, token=victim.access)
        assert_error(r, 401, "INVALID_CREDENTIALS")
    r = c.post("/auth/password", {"current_password": victim.password,
                                  "new_password": "N3w-Passw0rd!"}, token=victim.access)
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert int(r.headers["retry-after"]) >= 1, r
    # The same count as the login's: the account's logins wait too.
    assert_error(attempt(c, victim.email, victim.password), 429, "TOO_MANY_LOGIN_ATTEMPTS")


def test_unknown_emails_are_throttled_like_real_ones(make_server):
    """A 429 must not reveal whether the account exists."""
    srv = make_server(LOGIN_MAX_FAILURES=2)
    c = srv.client
    real, ghost = register(c), unique_email("ghost")
    answers = {}
    for email in (real.email, ghost):
        for _ in range(2):
            assert_error(attempt(c, email, "wrong-password-x"), 401, "INVALID_CREDENTIALS")
        r = attempt(c, email, "wrong-password-x")
        assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
        answers[email] = r.json
    assert answers[real.email] == answers[ghost]


def test_failures_are_throttled_per_address_across_accounts(make_server):
    srv = make_server(LOGIN_MAX_FAILURES=1000, LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    c = srv.client
    acc = register(c)
    for i in range(3):  # spraying: one try at each of many accounts
        assert_error(attempt(c, unique_email("spray"), f"guess-{i}-password"), 401, "INVALID_CREDENTIALS")
    r = attempt(c, acc.email, acc.password)
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert int(r.headers["retry-after"]) >= 1, r
    # A forged X-Forwarded-For from an untrusted peer changes nothing.
    for forged in ("203.0.113.7", "198.51.100.1, 203.0.113.8"):
        r = attempt(c, acc.email, acc.password, headers={"X-Forwarded-For": forged, "X-Real-IP": "203.0.113.9"})
        assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    # Only logins are throttled; the tokens the account already has keep working.
    assert c.get("/users/me", token=acc.access).status == 200
    register(c)


def test_successful_login_does_not_reset_the_address_count(make_server):
    srv = make_server(LOGIN_MAX_FAILURES=1000, LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    c = srv.client
    own = register(c)
    for i in range(2):
        assert_error(attempt(c, unique_email("spray"), "guess-password"), 401, "INVALID_CREDENTIALS")
    login(c, own.email, own.password)  # the attacker's own account, to buy more guesses
    assert_error(attempt(c, unique_email("spray"), "guess-password"), 401, "INVALID_CREDENTIALS")
    assert_error(attempt(c, unique_email("spray"), "guess-password"), 429, "TOO_MANY_LOGIN_ATTEMPTS")


def test_behind_a_trusted_proxy_the_forwarded_client_is_throttled(make_server):
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", LOGIN_MAX_FAILURES=1000, LOGIN_MAX_FAILURES_PER_ADDRESS=2)
    c = srv.client
    acc = register(c)
    # The proxy appends the real peer; what the client wrote to the left is not believed,
    # so varying it does not give an attacker fresh addresses.
    for spoof in ("1.1.1.1", "2.2.2.2"):
        xff = {"X-Forwarded-For": f"{spoof}, 203.0.113.50"}
        assert_error(attempt(c, unique_email(), "guess-password", headers=xff), 401, "INVALID_CREDENTIALS")
    r = attempt(c, acc.email, acc.password, headers={"X-Forwarded-For": "9.9.9.9, 203.0.113.50"})
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    # Another client behind the same proxy is not affected.
    assert_tokens(attempt(c, acc.email, acc.password, headers={"X-Forwarded-For": "203.0.113.51"}), 200)


def test_failed_login_answers_are_identical_in_status_body_and_headers(make_server):
    srv = make_server()
    c = srv.client
    acc, inactive = register(c), register(c)
    admin = srv.make_admin()
    assert c.patch(f"/users/{inactive.id}", {"is_active": False}, token=admin.access).status == 200
    answers = [attempt(c, unique_email("ghost"), PASSWORD), attempt(c, acc.email, PASSWORD + "x"),
               attempt(c, inactive.email, inactive.password)]
    for r in answers:
        assert_error(r, 401, "INVALID_CREDENTIALS")
    shapes = [(r.status, r.body, sorted(k for k in r.headers.keys() if k not in ("x-request-id", "date")))
              for r in answers]
    assert shapes[0] == shapes[1] == shapes[2], shapes


# ------------------------------------------------------------------- passwords


def insert_user(srv, email: str, password_hash: str) -> None:
    # As a table brought across from the reference app would hold it, in each dialect.
    if TEST_DATABASE == "sqlite":
        now = int(time.time() * 1_000_000)
        db_rows(srv, "INSERT INTO users (id, email, password_hash, role, is_active, created_at, updated_at)"
                " VALUES (?, ?, ?, 'user', 1, ?, ?)", str(uuid.uuid4()), email, password_hash, now, now)
    else:
        db_rows(srv, "INSERT INTO users (id, email, password_hash, role, is_active, created_at, updated_at)"
                " VALUES (?, ?, ?, 'user', true, now(), now())", str(uuid.uuid4()), email, password_hash)


def test_passlib_bcrypt_hash_verifies_and_is_upgraded_to_argon2id(make_server):
    srv = make_server()
    email = unique_email("imported")
    insert_user(srv, email, PASSLIB_HASH)
    assert_error(attempt(srv.client, email, PASSLIB_PASSWORD + "!"), 401, "INVALID_CREDENTIALS")
    assert stored_hash(srv, email) == PASSLIB_HASH  # a failed login changes nothing
    login(srv.client, email, PASSLIB_PASSWORD)
    upgraded = stored_hash(srv, email)
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded
    login(srv.client, email, PASSLIB_PASSWORD)  # and the new hash verifies
    assert stored_hash(srv, email) == upgraded  # once upgraded, not re-hashed every time


def test_argon2_parameters_are_settings_and_old_hashes_are_rehashed_at_login(make_server):
    srv = make_server(ARGON2_MEMORY_KIB=8192, ARGON2_ITERATIONS=1)
    acc = register(srv.client)
    assert stored_hash(srv, acc.email).startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    srv.stop_ok()
    srv.start(env={"ARGON2_MEMORY_KIB": 9216, "ARGON2_ITERATIONS": 2})
    assert_error(attempt(srv.client, acc.email, "wrong-password"), 401, "INVALID_CREDENTIALS")
    assert stored_hash(srv, acc.email).startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    login(srv.client, acc.email, acc.password)
    assert stored_hash(srv, acc.email).startswith("$argon2id$v=19$m=9216,t=2,p=1$")


# ------------------------------------------------------------------- tokens


def test_issuer_and_audience_are_written_and_required(make_server):
    srv = make_server(JWT_ISSUER="https://auth.example.com", JWT_AUDIENCE="example-api")
    c = srv.client
    acc = register(c)
    claims = jwt_claims(acc.access)
    assert claims["iss"] == "https://auth.example.com" and claims["aud"] == "example-api", claims
    header, claims, _ = jwt_parts(acc.access)
    assert c.get("/users/me", token=jwt_encode(header, claims, KEY)).status == 200  # control
    for forged in ({k: v for k, v in claims.items() if k != "iss"},
                   {k: v for k, v in claims.items() if k != "aud"},
                   dict(claims, iss="https://evil.example.com"),
                   dict(claims, aud="another-api"),
                   dict(claims, aud=["another-api"])):
        assert_error(c.get("/users/me", token=jwt_encode(header, forged, KEY)), 401, "INVALID_TOKEN")
    assert c.get("/users/me", token=jwt_encode(header, dict(claims, aud=["x", "example-api"]), KEY)).status == 200


def test_clock_skew_leeway(make_server):
    srv = make_server(JWT_LEEWAY_SECONDS=30)
    c = srv.client
    acc = register(c)
    header, claims, _ = jwt_parts(acc.access)
    now = int(time.time())
    assert c.get("/users/me", token=jwt_encode(header, dict(claims, exp=now - 5), KEY)).status == 200
    assert c.get("/users/me", token=jwt_encode(header, dict(claims, iat=now + 5), KEY)).status == 200
    assert_error(c.get("/users/me", token=jwt_encode(header, dict(claims, exp=now - 300), KEY)), 401, "INVALID_TOKEN")
    assert_error(c.get("/users/me", token=jwt_encode(header, dict(claims, iat=now + 3600), KEY)), 401, "INVALID_TOKEN")


def test_kid_duplicate_keys_and_non_json_parts_are_refused(client):
    acc = register(client)
    header, claims, _ = jwt_parts(acc.access)
    assert_error(client.get("/users/me", token=jwt_encode(dict(header, kid="key-1"), claims, KEY)), 401, "INVALID_TOKEN")
    import base64
    import hashlib
    import hmac

    def sign_raw(h: bytes, p: bytes) -> str:
        enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
        si = f"{enc(h)}.{enc(p)}"
        return si + "." + enc(hmac.new(KEY, si.encode(), hashlib.sha256).digest())
    body = json.dumps(claims, separators=(",", ":"))
    dup_sub = body[:-1] + ',"sub":"' + str(uuid.uuid4()) + '"}'
    for h, p in ((b'{"alg":"HS256","typ":"JWT"}', dup_sub.encode()),
                 (b'{"alg":"HS256","alg":"none"}', body.encode()),
                 (b'{"alg":"HS256"}', b"not json"),
                 (b"HS256", body.encode()),
                 (b'{"alg":"HS256"}', body.encode() + b"\xff")):
        assert_error(client.get("/users/me", token=sign_raw(h, p)), 401, "INVALID_TOKEN")
    assert client.get("/users/me", token=sign_raw(b'{"alg":"HS256","typ":"JWT"}', body.encode())).status == 200


# ------------------------------------------------------------------- headers


def assert_security_headers(r) -> None:
    assert r.headers.get("x-content-type-options") == "nosniff", r
    assert r.headers.get("referrer-policy") == "no-referrer", r
    assert "server" not in r.headers, f"Server banner sent: {r!r}"


def test_security_headers_on_every_kind_of_response(client):
    acc = register(client)
    responses = [
        client.post("/auth/register", {"email": unique_email(), "password": PASSWORD}),
        client.post("/auth/login", {"email": acc.email, "password": acc.password}),
        client.post("/auth/refresh", {"refresh_token": acc.refresh}),
        client.get("/users/me", token=acc.access),
        client.get("/nowhere"),
        client.post("/auth/login", {"email": acc.email, "password": "wrong-password"}),
        client.get("/health"),
    ]
    for r in responses:
        assert_security_headers(r)
        assert "strict-transport-security" not in r.headers, r  # not configured
    for r in responses[:3]:  # token responses
        assert r.status in (200, 201), r
        assert "no-store" in r.headers.get("cache-control", ""), r


def test_hsts_when_configured(make_server):
    srv = make_server(HSTS_MAX_AGE_SECONDS=31536000)
    for r in (srv.client.get("/health"), srv.client.get("/nowhere")):
        assert r.headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains", r
        assert_security_headers(r)


# ------------------------------------------------------------------- production start checks


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_production_on_every_interface_needs_a_trusted_proxies_decision(make_server, host):
    ws = make_server(start=False)
    r = ws.cli("serve", env={"ENVIRONMENT": "production", "HOST": host}, timeout=10)
    assert r.returncode == 2, r
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "TRUSTED_PROXIES" in lines[0], r.stderr


def test_production_on_every_interface_starts_once_decided(make_server):
    srv = make_server(ENVIRONMENT="production", HOST="0.0.0.0", TRUSTED_PROXIES="none",
                      HSTS_MAX_AGE_SECONDS=600)
    assert srv.client.get("/health").status == 200


def test_weak_production_settings_are_warned_about(make_server):
    srv = make_server(ENVIRONMENT="production", ARGON2_MEMORY_KIB=8, ARGON2_ITERATIONS=1,
                      LOG_FORMAT="text", LOG_LEVEL="warn")
    srv.stop_ok()
    log = srv.log_text()
    assert "ARGON2_MEMORY_KIB" in log and "HSTS_MAX_AGE_SECONDS" in log, log


# ------------------------------------------------------------------- secrets stay out of logs


def test_passwords_and_tokens_never_reach_the_logs(make_server):
    srv = make_server(LOG_LEVEL="trace", LOG_FORMAT="json")
    c = srv.client
    password, new_password = "Sekrit-Passw0rd-123", "N3w-Sekrit-Passw0rd"
    acc = register(c, password=password)
    assert_error(attempt(c, acc.email, "Wr0ng-Sekrit-Passw0rd"), 401, "INVALID_CREDENTIALS")
    again = login(c, acc.email, password)
    r = c.post("/auth/refresh", {"refresh_token": again.refresh})
    rotated = assert_tokens(r, 200)
    assert c.post("/auth/refresh", {"refresh_token": again.refresh}).status == 401  # reuse, logged
    assert c.post("/auth/password", {"current_password": password, "new_password": new_password},
                  token=acc.access).status == 204
    c.get("/users/me", token="garbage." + acc.access)
    srv.stop_ok()
    log = srv.log_text(limit=10**7)
    assert "request" in log, "no access log lines: the test would prove nothing"
    secrets = [password, new_password, "Wr0ng-Sekrit-Passw0rd", SECRET_KEY]
    for token in (acc.access, acc.refresh, again.access, again.refresh,
                  rotated["access_token"], rotated["refresh_token"]):
        secrets += [token, token.split(".")[1], token.split(".")[2]]
    for s in secrets:
        assert s not in log, f"a secret ({s[:12]}...) appears in the log"


# ------------------------------------------------------------------- hostile JSON


@pytest.mark.parametrize("raw", [
    b'{"email": "a@example.com", "email": "b@example.com", "password": "Str0ngP@ss!"}',
    b'{"email": "a@example.com", "password": "x", "password": "Str0ngP@ss!"}',
])
def test_duplicate_keys_are_refused(client, raw):
    for path in ("/auth/register", "/auth/login"):
        r = client.post(path, raw_body=raw, headers={"Content-Type": "application/json"})
        assert_error(r, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("raw", [
    b'{"email": "a\xc0\xaf@example.com", "password": "Str0ngP@ss!"}',  # overlong "/"
    b'{"email": "a@example.com", "password": "Str0ngP@ss!\xed\xa0\x80"}',  # UTF-16 surrogate
    b'{"email": "a@example.com", "password": "Str0ngP@ss!\xf4\x90\x80\x80"}',  # past U+10FFFF
    b'{"email": "a@example.com", "password": "Str0ngP@ss!\x80"}',  # lone continuation byte
])
def test_invalid_utf8_in_strings_is_refused(client, raw):
    for path in ("/auth/register", "/auth/login"):
        r = client.post(path, raw_body=raw, headers={"Content-Type": "application/json"})
        assert_error(r, 422, "VALIDATION_ERROR")


def test_escaped_lone_surrogates_and_nul_never_crash(client):
    # An escaped lone surrogate is not text: refused as malformed JSON.
    r = client.post("/auth/register", raw_body=b'{"email": "a\\ud800@example.com", "password": "Str0ngP@ss!"}',
                    headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR")
    r = client.post("/auth/register", raw_body=b'{"email": "a\\u0000@example.com", "password": "Str0ngP@ss!"}',
                    headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR", loc=["body", "email"])
    r = client.post("/auth/login", raw_body=b'{"email": "a\\u0000@example.com", "password": "Str0ngP@ss!"}',
                    headers={"Content-Type": "application/json"})
    assert r.status in (401, 422), r
    raw = b'{"email": "%s", "password": "\\ud800\\udfff-Str0ngP@ss!\\u0000"}' % unique_email().encode()  # a valid pair
    r = client.post("/auth/register", raw_body=raw, headers={"Content-Type": "application/json"})
    assert r.status in (201, 422), r
    assert client.get("/health").status == 200


@pytest.mark.parametrize("query", ["limit=99999999999999999999999", "skip=-99999999999999999999999",
                                   "limit=1e3", "skip=0x10", "limit=%00", "skip=1;DROP%20TABLE%20users"])
def test_huge_and_odd_numbers_in_the_query(make_server, query):
    srv = make_server()
    admin = srv.make_admin()
    r = srv.client.get(f"/users/?{query}", token=admin.access)
    assert_error(r, 422, "VALIDATION_ERROR")


# ------------------------------------------------------------------- SQL metacharacters everywhere


SQL = ["' OR '1'='1", "'; DROP TABLE users; --", '" OR ""="', "1; DELETE FROM sessions",
       "admin'--", "%' OR 1=1 --", "\\'; UPDATE users SET role='admin' --"]


def snapshot(srv) -> tuple:
    if TEST_DATABASE == "sqlite":
        schema = db_rows(srv, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
    else:
        schema = db_rows(srv, "SELECT table_name, column_name, data_type FROM information_schema.columns"
                              " WHERE table_schema = 'public' ORDER BY 1, 2")
    users = db_rows(srv, "SELECT id, email, password_hash, role, is_active, created_at, updated_at "
                         "FROM users ORDER BY id")
    sessions = db_rows(srv, "SELECT * FROM sessions ORDER BY 1")
    return schema, users, sessions


def test_sql_metacharacters_in_every_field_change_nothing(make_server):
    srv = make_server()
    c = srv.client
    admin = srv.make_admin()
    user = register(c)
    before = snapshot(srv)
    for s in SQL:
        tok = {"Authorization": f"Bearer {s}"}
        answers = [
            c.post("/auth/login", {"email": s, "password": s}),
            c.post("/auth/login", {"email": user.email, "password": s}),
            c.post("/auth/register", {"email": s, "password": s + "-long-enough"}),
            c.post("/auth/refresh", {"refresh_token": s}),
            c.post("/auth/logout", {"refresh_token": s}),
            c.post("/auth/password", {"current_password": s, "new_password": s + "-long-enough"}, token=user.access),
            c.get("/users/me", headers=tok),
            c.patch(f"/users/{user.id}", {"email": s}, token=admin.access),
            c.patch(f"/users/{user.id}", {"role": s}, token=admin.access),
            c.get("/users/" + s.replace(" ", "%20").replace("#", "%23").replace("%'", "%25'"), token=admin.access),
            c.delete("/users/" + s.replace(" ", "%20").replace("%'", "%25'"), token=admin.access),
        ]
        for r in answers:
            assert r.status in (401, 404, 422), f"{s!r}: {r!r}"
    assert snapshot(srv) == before, "a request with SQL metacharacters changed the database"
    # And where such characters are legal they are stored verbatim, not interpreted.
    odd = f"o'brien+\"x\"-{uuid.uuid4().hex[:6]}@example.com"
    r = c.post("/auth/register", {"email": odd, "password": "'; DROP TABLE users; --"})
    if r.status == 201:
        login(c, odd, "'; DROP TABLE users; --")
        schema, users, _ = snapshot(srv)
        assert schema == before[0] and odd.lower() in [u[1] for u in users]
    else:
        assert_error(r, 422, "VALIDATION_ERROR", loc=["body", "email"])


# ------------------------------------------------------------- cross-site form posts


def test_a_page_of_another_origin_cannot_post_a_form_login(client):
    """A form POST needs no preflight: without this check any web page could log its
    visitors in at /auth/token, or spend their address's failed-login budget."""
    acc = register(client)
    form = f"grant_type=password&username={acc.email}&password={PASSWORD}"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    evil = client.post("/auth/token", raw_body=form, headers={**headers, "Origin": "https://evil.example"})
    assert_error(evil, 400, "CORS_ORIGIN_NOT_ALLOWED")
    # A sandboxed page or a file sends "null": not an origin anyone allowed.
    assert_error(client.post("/auth/token", raw_body=form, headers={**headers, "Origin": "null"}), 400,
                 "CORS_ORIGIN_NOT_ALLOWED")
    # The server's own pages (Swagger UI at /docs) post from its own origin.
    own = f"http://{client.host}:{client.port}"
    assert client.post("/auth/token", raw_body=form, headers={**headers, "Origin": own}).status == 200
    # An allowed front-end, and a client that is no browser (no Origin), are served.
    allowed = client.post("/auth/token", raw_body=form, headers={**headers, "Origin": "http://localhost:3000"})
    assert allowed.status == 200 and allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert client.post("/auth/token", raw_body=form, headers=headers).status == 200
    # Reading is not changing: a GET from anywhere is answered (without CORS headers).
    assert client.get("/health", headers={"Origin": "https://evil.example"}).status == 200
