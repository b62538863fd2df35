"""The second factor against the real binary, with the codes computed as an authenticator app
computes them (Debian's python3-pyotp, reading the otpauth URI the server gives): enrolment
(a pending factor, its QR code, a first code that turns it on, ten recovery codes, every
earlier session ended and a new pair at aal2), the login's second step (MFA_REQUIRED, a code
taken once, an mfa_token's five tries, wrong codes as failed logins, two uses of one code at
once, recovery codes used once), regeneration, removal, the admin's reset, /auth/token's
mfa_required and the MFA policies."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pyotp

from conftest import db_rows
from client import (assert_error, assert_no_content, assert_tokens, jwt_claims, register,
                    wait_until)

STEP = 30


class Authenticator:
    """An authenticator app holding the enrolment's secret. The server takes each time step
    once, so this hands out each step's code once: the current step, then the next (one step
    of skew is accepted), then it waits for time to move on."""

    def __init__(self, uri: str):
        self.totp = pyotp.parse_uri(uri)
        self.used = -1

    def code(self) -> str:
        while True:
            now = int(time.time()) // STEP
            for step in (now, now + 1):
                if step > self.used:
                    self.used = step
                    return self.totp.at(step * STEP)
            time.sleep((now + 1) * STEP - time.time() + 0.05)

    def peek(self) -> str:
        """The current step's code, without taking it (for a request that must fail before
        the code is looked at)."""
        return self.totp.now()

    def wrong(self) -> str:
        """Six digits that no step in the server's window produces."""
        now = int(time.time()) // STEP
        window = {self.totp.at(s * STEP) for s in range(now - 2, now + 3)}
        return next(c for c in (f"{i:06d}" for i in range(1_000_000)) if c not in window)


def enrolled(client, acc=None):
    """A user with a confirmed factor: (account, authenticator, the confirmation's body)."""
    acc = acc or register(client)
    body = client.post("/auth/mfa/totp", token=acc.access).json
    app = Authenticator(body["otpauth_uri"])
    r = client.post("/auth/mfa/totp/confirm", {"code": app.code()}, token=acc.access)
    assert r.status == 200, r
    return acc, app, r.json


def mfa_required(r) -> str:
    """The login's 403 MFA_REQUIRED; its mfa_token."""
    assert r.status == 403, r
    err = r.json["error"]
    assert set(err) == {"code", "detail", "mfa_token"} and err["code"] == "MFA_REQUIRED", r.json
    assert isinstance(err["mfa_token"], str) and len(err["mfa_token"]) >= 40, err
    return err["mfa_token"]


def first_step(client, acc) -> str:
    return mfa_required(client.post("/auth/login", {"email": acc.email, "password": acc.password}))


def verify(client, mfa_token, code=None, recovery_code=None):
    body = {"mfa_token": mfa_token}
    if code is not None:
        body["code"] = code
    if recovery_code is not None:
        body["recovery_code"] = recovery_code
    return client.post("/auth/mfa/verify", body)


def enroll(client, acc):
    r = client.post("/auth/mfa/totp", token=acc.access)
    assert r.status == 201, r
    assert set(r.json) == {"secret", "otpauth_uri", "qr_svg"}, r.json
    return r.json


def test_a_factor_is_enrolled_and_confirmed_with_an_authenticators_code(client):
    acc = register(client)
    body = enroll(client, acc)
    totp = pyotp.parse_uri(body["otpauth_uri"])
    assert isinstance(totp, pyotp.TOTP) and totp.secret == body["secret"]
    assert totp.digits == 6 and totp.interval == 30 and totp.name == acc.email, body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg") and "<script" not in body["qr_svg"]
    assert client.get("/users/me", token=acc.access).json["mfa_enabled"] is False

    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    assert_error(client.post("/auth/mfa/totp/confirm", {"code": wrong}, token=acc.access),
                 400, "INVALID_CODE")
    assert_error(client.post("/auth/mfa/totp/confirm", {"code": "12345"}, token=acc.access),
                 422, "VALIDATION_ERROR")
    r = client.post("/auth/mfa/totp/confirm", {"code": totp.now()}, token=acc.access)
    assert r.status == 200, r
    codes = r.json["recovery_codes"]
    assert len(codes) == 10 == len(set(codes)), codes
    claims = jwt_claims(r.json["access_token"])
    assert claims["aal"] == "aal2" and claims["amr"] == ["pwd", "otp"], claims
    assert client.get("/users/me", token=acc.access).status == 401, "every earlier session ended"
    me = client.get("/users/me", token=r.json["access_token"])
    assert me.status == 200 and me.json["mfa_enabled"] is True, me
    refreshed = client.post("/auth/refresh", {"refresh_token": r.json["refresh_token"]})
    assert jwt_claims(refreshed.json["access_token"])["aal"] == "aal2", "a refresh keeps the level"

    token = refreshed.json["access_token"]
    assert_error(client.post("/auth/mfa/totp", token=token), 409, "MFA_ALREADY_ENABLED")
    assert_error(client.post("/auth/mfa/totp/confirm", {"code": totp.now()}, token=token),
                 404, "MFA_FACTOR_NOT_FOUND")


def test_a_new_enrolment_replaces_a_pending_one_and_an_old_step_is_refused(client):
    acc = register(client)
    first = pyotp.parse_uri(enroll(client, acc)["otpauth_uri"])
    second = pyotp.parse_uri(enroll(client, acc)["otpauth_uri"])
    assert first.secret != second.secret
    assert_error(client.post("/auth/mfa/totp/confirm", {"code": first.now()}, token=acc.access),
                 400, "INVALID_CODE")
    late = second.at(time.time() - 90)  # three steps ago: outside one step of skew
    if late != second.now():
        assert_error(client.post("/auth/mfa/totp/confirm", {"code": late}, token=acc.access),
                     400, "INVALID_CODE")
    assert client.post("/auth/mfa/totp/confirm", {"code": second.now()}, token=acc.access).status == 200


def test_enrolment_needs_a_signed_in_user(client):
    assert_error(client.post("/auth/mfa/totp"), 401, "NOT_AUTHENTICATED")
    assert_error(client.post("/auth/mfa/totp/confirm", {"code": "123456"}), 401, "NOT_AUTHENTICATED")


# ------------------------------------------------------------------- the login's second step


def test_a_login_with_a_factor_stops_at_mfa_required_and_a_code_finishes_it(client):
    acc, app, _ = enrolled(client)
    assert_error(client.post("/auth/login", {"email": acc.email, "password": "not-the-password"}),
                 401, "INVALID_CREDENTIALS")
    token = first_step(client, acc)
    code = app.code()
    tokens = assert_tokens(verify(client, token, code=code), 200)
    claims = jwt_claims(tokens["access_token"])
    assert claims["aal"] == "aal2" and claims["amr"] == ["pwd", "otp"], claims
    assert client.get("/users/me", token=tokens["access_token"]).json["mfa_enabled"] is True
    # The mfa_token is spent, and the code's time step is taken: neither works again.
    assert_error(verify(client, token, code=app.peek()), 401, "INVALID_TOKEN")
    assert_error(verify(client, first_step(client, acc), code=code), 401, "INVALID_CODE")


def test_the_second_step_refuses_malformed_bodies_and_strange_tokens(client):
    acc, app, _ = enrolled(client)
    token = first_step(client, acc)
    assert_error(client.post("/auth/mfa/verify", {"mfa_token": token}), 422, "VALIDATION_ERROR")
    assert_error(verify(client, token, code="12345"), 422, "VALIDATION_ERROR", ["body", "code"])
    assert_error(verify(client, token, code="123456", recovery_code="abcde-fghij"),
                 422, "VALIDATION_ERROR")
    assert_error(verify(client, "x" * 43, code="123456"), 401, "INVALID_TOKEN")
    assert_error(verify(client, token + "x", code="123456"), 401, "INVALID_TOKEN")
    # None of those was a try of this token.
    assert_tokens(verify(client, token, code=app.code()), 200)


def test_an_mfa_token_takes_five_codes_and_the_sixth_is_refused(client):
    acc, app, _ = enrolled(client)
    token = first_step(client, acc)
    for _ in range(5):
        assert_error(verify(client, token, code=app.wrong()), 401, "INVALID_CODE")
    assert_error(verify(client, token, code=app.peek()), 401, "INVALID_TOKEN")
    assert_tokens(verify(client, first_step(client, acc), code=app.code()), 200)


def test_wrong_codes_are_failed_logins_of_the_account(make_server):
    srv = make_server(LOGIN_MAX_FAILURES=3)
    c = srv.client
    acc, app, _ = enrolled(c)
    token = first_step(c, acc)
    for _ in range(3):
        assert_error(verify(c, token, code=app.wrong()), 401, "INVALID_CODE")
    r = verify(c, token, code=app.code())
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert int(r.headers["retry-after"]) >= 1, r
    # The password itself is throttled now, as after three wrong passwords.
    assert_error(c.post("/auth/login", {"email": acc.email, "password": acc.password}),
                 429, "TOO_MANY_LOGIN_ATTEMPTS")


def test_one_code_sent_twice_at_once_signs_in_once(client):
    acc, app, _ = enrolled(client)
    tokens = [first_step(client, acc) for _ in range(2)]
    code = app.code()
    barrier = threading.Barrier(2)

    def send(token):
        barrier.wait()
        return verify(client, token, code=code)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(send, tokens))
    assert sorted(r.status for r in answers) == [200, 401], answers
    assert_error(next(r for r in answers if r.status == 401), 401, "INVALID_CODE")


def test_a_recovery_code_signs_in_once(client):
    acc, _, confirmed = enrolled(client)
    codes = confirmed["recovery_codes"]
    typed = codes[0].upper().replace("-", " ")  # as people type it off paper
    tokens = assert_tokens(verify(client, first_step(client, acc), recovery_code=typed), 200)
    assert jwt_claims(tokens["access_token"])["aal"] == "aal2"
    assert_error(verify(client, first_step(client, acc), recovery_code=codes[0]),
                 401, "INVALID_CODE")
    assert_tokens(verify(client, first_step(client, acc), recovery_code=codes[1]), 200)
    wanted = {("mfa.enrolled", "success"), ("mfa.challenge", "success"),
              ("mfa.recovery_code_used", "success"), ("mfa.challenge", "failure")}

    def recorded():  # a failure reaches the table through the writer's queue
        events = client.get("/users/me/audit-events?limit=50", token=tokens["access_token"]).json
        return {(e["type"], e["outcome"]) for e in events["items"]}

    assert wait_until(lambda: wanted <= recorded()), recorded()


def test_the_token_endpoint_answers_mfa_required_in_oauths_shape(client):
    acc, app, _ = enrolled(client)
    form = urlencode({"grant_type": "password", "username": acc.email, "password": acc.password})
    r = client.request("POST", "/auth/token", raw_body=form,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 403, r
    assert set(r.json) == {"error", "error_description", "mfa_token"}, r.json
    assert r.json["error"] == "mfa_required", r.json
    assert r.headers["cache-control"] == "no-store", r
    assert_tokens(verify(client, r.json["mfa_token"], code=app.code()), 200)


# ------------------------------------------------------------------- managing the factor


def test_recovery_codes_are_regenerated_at_aal2_and_the_old_ones_stop_working(client):
    acc, _, confirmed = enrolled(client)
    plain = register(client)
    assert_error(client.post("/auth/mfa/recovery-codes", token=plain.access), 403, "AAL2_REQUIRED")
    r = client.post("/auth/mfa/recovery-codes", token=confirmed["access_token"])
    assert r.status == 200 and set(r.json) == {"recovery_codes"}, r
    fresh = r.json["recovery_codes"]
    assert len(set(fresh)) == 10 and not set(fresh) & set(confirmed["recovery_codes"]), fresh
    assert_error(verify(client, first_step(client, acc),
                        recovery_code=confirmed["recovery_codes"][2]), 401, "INVALID_CODE")
    assert_tokens(verify(client, first_step(client, acc), recovery_code=fresh[2]), 200)


def test_the_owner_removes_the_factor_with_a_current_code(client):
    acc, app, confirmed = enrolled(client)
    aal2 = confirmed["access_token"]
    assert_error(client.request("DELETE", "/auth/mfa/totp", json={"code": app.wrong()}, token=aal2),
                 400, "INVALID_CODE")
    assert_error(client.request("DELETE", "/auth/mfa/totp", json={"code": "123456"},
                                token=register(client).access), 403, "AAL2_REQUIRED")
    assert_no_content(client.request("DELETE", "/auth/mfa/totp", json={"code": app.code()},
                                     token=aal2))
    assert client.get("/users/me", token=aal2).json["mfa_enabled"] is False
    r = client.post("/auth/login", {"email": acc.email, "password": acc.password})
    assert jwt_claims(assert_tokens(r, 200)["access_token"])["aal"] == "aal1"


def test_an_admin_resets_a_users_factor_and_their_sessions_end(client, admin):
    acc, app, confirmed = enrolled(client)
    assert_error(client.delete(f"/users/{acc.id}/mfa", token=confirmed["access_token"]),
                 403, "FORBIDDEN")
    assert_no_content(client.delete(f"/users/{acc.id}/mfa", token=admin.access))
    assert client.get("/users/me", token=confirmed["access_token"]).status == 401
    r = client.post("/auth/login", {"email": acc.email, "password": acc.password})
    me = client.get("/users/me", token=assert_tokens(r, 200)["access_token"]).json
    assert me["mfa_enabled"] is False, me
    assert_error(client.delete("/users/01890a5d-ac96-774b-bcce-b302099a8057/mfa",
                               token=admin.access), 404, "USER_NOT_FOUND")
    assert_no_content(client.delete(f"/users/{acc.id}/mfa", token=admin.access))  # none left


# ------------------------------------------------------------------- policies


def test_required_for_admins_keeps_an_admin_without_a_factor_to_their_profile(make_server):
    srv = make_server(MFA="required_for_admins")
    c = srv.client
    admin = srv.make_admin()
    assert_error(c.get("/users/", token=admin.access), 403, "MFA_ENROLLMENT_REQUIRED")
    assert_error(c.get("/users/me/sessions", token=admin.access), 403, "MFA_ENROLLMENT_REQUIRED")
    assert c.get("/users/me", token=admin.access).status == 200
    user = register(c)
    assert c.get("/users/me/sessions", token=user.access).status == 200, "users are not obliged"
    _, _, confirmed = enrolled(c, admin)
    assert c.get("/users/", token=confirmed["access_token"]).status == 200


def test_under_a_policy_admin_routes_need_an_aal2_session(make_server):
    """No API gives an admin with a factor a password-only session; one made by hand (as an
    older session would be) reaches their own routes but no admin route."""
    srv = make_server(MFA="required_for_admins")
    admin = srv.make_admin()
    db_rows(srv, "UPDATE users SET mfa_enabled = ? WHERE id = ?", True, admin.id)
    assert srv.client.get("/users/me/sessions", token=admin.access).status == 200
    assert_error(srv.client.get("/users/", token=admin.access), 403, "AAL2_REQUIRED")
    assert_error(srv.client.get("/admin/keys", token=admin.access), 403, "AAL2_REQUIRED")


def test_required_obliges_everyone_and_admin_routes_need_aal2(make_server):
    srv = make_server(MFA="required")
    c = srv.client
    user = register(c)
    assert_error(c.get("/users/me/sessions", token=user.access), 403, "MFA_ENROLLMENT_REQUIRED")
    assert c.get("/users/me", token=user.access).status == 200
    _, app, confirmed = enrolled(c, user)
    assert c.get("/users/me/sessions", token=confirmed["access_token"]).status == 200
    assert_tokens(verify(c, first_step(c, user), code=app.code()), 200)
