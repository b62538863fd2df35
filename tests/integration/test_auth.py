"""POST /auth/register and /auth/login, token format, bearer authentication and forged
tokens. The first four tests are the reference guide's (section 8) tests/test_auth.py."""
from __future__ import annotations

import hashlib
import json
import re
import time
import uuid

import pytest

from client import (
    PASSWORD, assert_error, assert_tokens, assert_user_out, b64url_encode, jwt_claims, jwt_encode, jwt_parts,
    jwt_verify_hs256, login, register, unique_email, SECRET_KEY,
)

KEY = SECRET_KEY.encode()


# ------------------------------------------------------------- reference guide tests


def test_register(client):
    r = client.post("/auth/register", {"email": unique_email(), "password": PASSWORD})
    data = assert_tokens(r, 201)
    assert "access_token" in data
    assert "refresh_token" in data


def test_register_duplicate(client):
    payload = {"email": unique_email(), "password": PASSWORD}
    assert_tokens(client.post("/auth/register", payload), 201)
    r = client.post("/auth/register", payload)
    assert_error(r, 409, "EMAIL_TAKEN")


def test_login(client):
    payload = {"email": unique_email(), "password": PASSWORD}
    assert_tokens(client.post("/auth/register", payload), 201)
    r = client.post("/auth/login", payload)
    data = assert_tokens(r, 200)
    assert "access_token" in data


def test_refresh(client):
    reg = assert_tokens(client.post("/auth/register", {"email": unique_email(), "password": PASSWORD}), 201)
    r = client.post("/auth/refresh", {"refresh_token": reg["refresh_token"]})
    assert_tokens(r, 200)


# ------------------------------------------------------------------- register


def test_register_tokens_are_hs256_jwts_with_the_documented_claims(client):
    before = int(time.time())
    acc = register(client)
    after = int(time.time())
    for tok, typ, lifetime in ((acc.access, "access", 15 * 60), (acc.refresh, "refresh", 7 * 86400)):
        header, claims, _ = jwt_parts(tok)
        assert header.get("alg") == "HS256", header
        assert jwt_verify_hs256(tok, KEY), "token is not HMAC-SHA256-signed with the bytes of SECRET_KEY"
        assert {"sub", "type", "sid", "jti", "iat", "exp"} <= set(claims), claims
        assert claims["type"] == typ, claims
        assert claims["aal"] == "aal1" and claims["amr"] == ["pwd"], claims  # a password alone
        assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int), claims
        assert before - 5 <= claims["iat"] <= after + 5, claims
        assert abs((claims["exp"] - claims["iat"]) - lifetime) <= 2, claims
    a, rf = jwt_claims(acc.access), jwt_claims(acc.refresh)
    assert a["sub"] == rf["sub"] and a["sid"] == rf["sid"], (a, rf)
    assert a["jti"] != rf["jti"], (a, rf)
    me = client.get("/users/me", token=acc.access)
    assert me.status == 200, me
    assert me.json["id"] == a["sub"]


def test_token_lifetimes_follow_configuration(make_server):
    srv = make_server(ACCESS_TOKEN_EXPIRE_MINUTES=5, REFRESH_TOKEN_EXPIRE_DAYS=2)
    acc = register(srv.client)
    a, rf = jwt_claims(acc.access), jwt_claims(acc.refresh)
    assert abs((a["exp"] - a["iat"]) - 300) <= 2, a
    assert abs((rf["exp"] - rf["iat"]) - 2 * 86400) <= 2, rf


def test_register_lowercases_email_and_duplicates_are_case_insensitive(client):
    local = uuid.uuid4().hex[:12]
    acc = register(client, f"MiXed-{local}@Example.com")
    me = client.get("/users/me", token=acc.access)
    assert me.status == 200, me
    assert_user_out(me.json, email=f"mixed-{local}@example.com", role="user", is_active=True)
    r = client.post("/auth/register", {"email": f"MIXED-{local}@EXAMPLE.com", "password": PASSWORD})
    assert_error(r, 409, "EMAIL_TAKEN")


def test_register_accepts_json_with_charset_and_ignores_unknown_fields(client):
    body = json.dumps({"email": unique_email(), "password": PASSWORD, "role": "admin", "nickname": "x"})
    r = client.post("/auth/register", raw_body=body, headers={"Content-Type": "application/json; charset=utf-8"})
    tok = assert_tokens(r, 201)
    me = client.get("/users/me", token=tok["access_token"])
    assert me.status == 200, me
    assert me.json["role"] == "user", "a client must not be able to pick its role at registration"


@pytest.mark.parametrize("payload, loc", [
    ({"password": PASSWORD}, ["body", "email"]),
    ({"email": "x@example.com"}, ["body", "password"]),
    ({"email": 12345, "password": PASSWORD}, ["body", "email"]),
    ({"email": None, "password": PASSWORD}, ["body", "email"]),
    ({"email": "not-an-email", "password": PASSWORD}, ["body", "email"]),
    ({"email": "missing-domain@", "password": PASSWORD}, ["body", "email"]),
    ({"email": "@missing-local.com", "password": PASSWORD}, ["body", "email"]),
    ({"email": "", "password": PASSWORD}, ["body", "email"]),
    ({"email": "two@@example.com", "password": PASSWORD}, ["body", "email"]),
    ({"email": "spaces in@example.com", "password": PASSWORD}, ["body", "email"]),
    ({"email": "valid@example.com", "password": 12345678}, ["body", "password"]),
    ({"email": "valid@example.com", "password": "short7!"}, ["body", "password"]),
    ({"email": "valid@example.com", "password": ""}, ["body", "password"]),
    ({"email": "valid@example.com", "password": "p" * 129}, ["body", "password"]),
    ({"email": "valid@example.com", "password": "\u00e9" * 7}, ["body", "password"]),
], ids=["no-email", "no-password", "email-int", "email-null", "email-plain", "email-no-domain",
        "email-no-local", "email-empty", "email-double-at", "email-space", "password-int",
        "password-7", "password-empty", "password-129", "password-7-multibyte"])
def test_register_validation(client, payload, loc):
    r = client.post("/auth/register", payload)
    assert_error(r, 422, "VALIDATION_ERROR", loc=loc)


def test_register_reports_every_invalid_field(client):
    r = client.post("/auth/register", {"email": "nope", "password": "short"})
    err = assert_error(r, 422, "VALIDATION_ERROR")
    locs = [f["loc"] for f in err["fields"]]
    assert ["body", "email"] in locs and ["body", "password"] in locs, err


@pytest.mark.parametrize("body", [b"[]", b"\"string\"", b"42", b"null"])
def test_register_body_must_be_an_object(client, body):
    r = client.post("/auth/register", raw_body=body, headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("password", ["p" * 8, "p" * 128, "\u00e9" * 128, "pa\u00df w\u00f6rd \U0001F511"],
                         ids=["8", "128", "128-multibyte", "unicode-and-space"])
def test_register_password_length_bounds_are_inclusive_and_count_characters(client, password):
    acc = register(client, password=password)
    login(client, acc.email, password)


# ------------------------------------------------------------------- login


def test_login_is_case_insensitive_on_email(client):
    acc = register(client)
    login(client, acc.email.upper(), acc.password)


def test_login_issues_a_new_session_each_time(client):
    acc = register(client)
    a = login(client, acc.email, acc.password)
    b = login(client, acc.email, acc.password)
    sids = {jwt_claims(x.access)["sid"] for x in (acc, a, b)}
    assert len(sids) == 3, "each login must start its own session"
    for x in (acc, a, b):
        assert client.get("/users/me", token=x.access).status == 200


def test_login_failures_are_indistinguishable(client, admin):
    acc = register(client)
    inactive = register(client)
    r = client.patch(f"/users/{inactive.id}", {"is_active": False}, token=admin.access)
    assert r.status == 200, r

    unknown = client.post("/auth/login", {"email": unique_email("ghost"), "password": PASSWORD})
    wrong = client.post("/auth/login", {"email": acc.email, "password": PASSWORD + "x"})
    deact = client.post("/auth/login", {"email": inactive.email, "password": inactive.password})
    for r in (unknown, wrong, deact):
        assert_error(r, 401, "INVALID_CREDENTIALS")
    assert unknown.json == wrong.json == deact.json, (unknown.json, wrong.json, deact.json)


def test_login_unknown_email_pays_for_a_hash_like_a_wrong_password(client):
    """No user enumeration by timing: an unknown email must still pay for an Argon2id
    verify. Counted, not timed (no timing assertions in the suite): /metrics counts every
    password check run to its end, the dummy one included."""
    acc = register(client)

    def verifications() -> float:
        r = client.get("/metrics")
        assert r.status == 200, r
        m = re.search(rb"^gatehouse_password_verifications_total (\S+)$", r.body, re.M)
        assert m, "gatehouse_password_verifications_total missing from /metrics"
        return float(m.group(1))

    for email in (acc.email, unique_email("nobody")):
        before = verifications()
        assert_error(client.post("/auth/login", {"email": email, "password": "wrong-password-1"}),
                     401, "INVALID_CREDENTIALS")
        assert verifications() - before == 1, email


@pytest.mark.parametrize("payload, loc", [
    ({"email": "x@example.com"}, ["body", "password"]),
    ({"password": PASSWORD}, ["body", "email"]),
    ({"email": "x@example.com", "password": 5}, ["body", "password"]),
    ({"email": ["x@example.com"], "password": PASSWORD}, ["body", "email"]),
])
def test_login_validation(client, payload, loc):
    assert_error(client.post("/auth/login", payload), 422, "VALIDATION_ERROR", loc=loc)


def test_login_malformed_json(client):
    r = client.post("/auth/login", raw_body=b'{"email": "a@b.com", "password": ', headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR")


# ------------------------------------------------------------------- bearer authentication


def test_missing_bearer_is_not_authenticated(client):
    r = client.get("/users/me")
    assert_error(r, 401, "NOT_AUTHENTICATED")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer"), r


@pytest.mark.parametrize("value", ["Basic dXNlcjpwYXNz", "Token abc", "abc.def.ghi"])
def test_non_bearer_authorization_is_not_authenticated(client, value):
    r = client.get("/users/me", headers={"Authorization": value})
    assert_error(r, 401, "NOT_AUTHENTICATED")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer"), r


def test_empty_bearer_is_rejected(client):
    r = client.get("/users/me", headers={"Authorization": "Bearer "})
    assert r.status == 401, r
    assert r.json["error"]["code"] in ("NOT_AUTHENTICATED", "INVALID_TOKEN"), r
    assert_error(r, 401, r.json["error"]["code"])


def test_bearer_scheme_is_case_insensitive(client):
    acc = register(client)
    r = client.get("/users/me", headers={"Authorization": f"bearer {acc.access}"})
    assert r.status == 200, r


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.e30.", "x" * 4000])
def test_garbage_token_is_invalid(client, token):
    assert_error(client.get("/users/me", token=token), 401, "INVALID_TOKEN")


# ------------------------------------------------------------------- forged tokens


@pytest.fixture
def victim(client):
    return register(client)


def test_resigning_the_same_claims_with_the_secret_is_accepted(client, victim):
    """Positive control for the forgery tests below: our encoder produces tokens the
    server accepts, so their rejection is for the reason each one names."""
    header, claims, _ = jwt_parts(victim.access)
    tok = jwt_encode(header, claims, KEY)
    r = client.get("/users/me", token=tok)
    assert r.status == 200, r
    assert r.json["id"] == victim.id


def test_alg_none_is_refused(client, victim):
    _, claims, _ = jwt_parts(victim.access)
    for alg in ("none", "None", "NONE"):
        tok = jwt_encode({"alg": alg, "typ": "JWT"}, claims, None)
        assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


def test_other_algorithms_are_refused_even_with_the_right_key(client, victim):
    _, claims, _ = jwt_parts(victim.access)
    for alg, digest in (("HS512", hashlib.sha512), ("HS384", hashlib.sha384)):
        tok = jwt_encode({"alg": alg, "typ": "JWT"}, claims, KEY, digest)
        assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")
    # HS256 MAC but a header that claims something else.
    tok = jwt_encode({"alg": "RS256", "typ": "JWT"}, claims, KEY)
    assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


def test_wrong_key_is_refused(client, victim):
    header, claims, _ = jwt_parts(victim.access)
    for key in (b"another-secret-another-secret-another-secret-xyz", b"", KEY + b"x", KEY[:-1]):
        tok = jwt_encode(header, claims, key)
        assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


def test_tampered_payload_is_refused(client, victim):
    other = register(client)
    h, p, s = victim.access.split(".")
    _, claims, _ = jwt_parts(victim.access)
    forged_claims = dict(claims, sub=other.id)
    p2 = b64url_encode(json.dumps(forged_claims, separators=(",", ":")).encode())
    assert_error(client.get("/users/me", token=f"{h}.{p2}.{s}"), 401, "INVALID_TOKEN")
    # Flip one signature character.
    s2 = ("A" if s[0] != "A" else "B") + s[1:]
    assert_error(client.get("/users/me", token=f"{h}.{p}.{s2}"), 401, "INVALID_TOKEN")
    # The untouched token still works.
    assert client.get("/users/me", token=victim.access).status == 200


def test_expired_token_is_refused(client, victim):
    header, claims, _ = jwt_parts(victim.access)
    now = int(time.time())
    tok = jwt_encode(header, dict(claims, iat=now - 3600, exp=now - 120), KEY)
    assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


def test_token_not_yet_valid_is_refused(client, victim):
    header, claims, _ = jwt_parts(victim.access)
    now = int(time.time())
    assert client.get("/users/me", token=jwt_encode(header, dict(claims, nbf=now - 60), KEY)).status == 200
    for nbf in (now + 3600, str(now - 60), now - 60.5, None):
        tok = jwt_encode(header, dict(claims, nbf=nbf), KEY)
        assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


def test_refresh_token_cannot_be_used_as_access_token(client, victim):
    assert_error(client.get("/users/me", token=victim.refresh), 401, "INVALID_TOKEN")
    # Nor a correctly signed access token whose type claim says refresh.
    header, claims, _ = jwt_parts(victim.access)
    tok = jwt_encode(header, dict(claims, type="refresh"), KEY)
    assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


def test_signed_token_for_unknown_user_or_session_is_refused(client, victim):
    header, claims, _ = jwt_parts(victim.access)
    ghost_user = str(uuid.uuid4())
    for forged in (dict(claims, sub=ghost_user), dict(claims, sid=str(uuid.uuid4())),
                   dict(claims, sub="not-a-uuid")):
        tok = jwt_encode(header, forged, KEY)
        assert_error(client.get("/users/me", token=tok), 401, "INVALID_TOKEN")


@pytest.mark.parametrize("drop", ["sub", "type", "sid", "exp"])
def test_signed_token_missing_a_claim_is_refused(client, victim, drop):
    header, claims, _ = jwt_parts(victim.access)
    forged = {k: v for k, v in claims.items() if k != drop}
    assert_error(client.get("/users/me", token=jwt_encode(header, forged, KEY)), 401, "INVALID_TOKEN")
