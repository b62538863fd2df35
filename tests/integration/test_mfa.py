"""TOTP enrolment against the real binary, with the codes computed as an authenticator app
computes them (Debian's python3-pyotp, reading the otpauth URI the server gives): a pending
factor, its QR code, a first code that turns it on (wrong, replayed and late codes refused),
the ten recovery codes, every earlier session ended and a new pair at aal2, and UserOut's
mfa_enabled. The login's second step comes with the rest of the MFA issue."""
from __future__ import annotations

import time

import pyotp

from client import assert_error, jwt_claims, register


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
