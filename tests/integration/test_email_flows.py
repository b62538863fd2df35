"""The email flows end to end (API.md part two, "Email") against the real binary and a real
SMTP server (Debian's aiosmtpd, tests/smtp/smtp_server.py): a reset, a verification and an
invitation each go out as a mail whose link's token the matching POST spends once; a mail
server that is down when the mail is queued, or that answers 451 first, only delays it; a
refusal (550) fails it with an audit event. Runs on SQLite, and on PostgreSQL when the suite
does."""
from __future__ import annotations

import email
import email.policy
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from client import PASSWORD, assert_error, assert_no_content, free_port, login, register, unique_email

SMTP_SERVER = Path(__file__).resolve().parents[1] / "smtp" / "smtp_server.py"
TOKEN = re.compile(r"token=([A-Za-z0-9_-]{43})")
NEW_PASSWORD = "An0ther-g00d-passphrase"
DEADLINE = 20.0


class Smtp:
    """The test SMTP server as a process, on a port kept across restarts."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, *flags: str) -> "Smtp":
        self.proc = subprocess.Popen(
            [sys.executable, str(SMTP_SERVER), "--port", str(self.port), "--dir", str(self.folder), *flags],
            stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(self.folder.glob("*.eml"))]

    def wait_for(self, count: int, timeout: float = DEADLINE) -> list[email.message.EmailMessage]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.messages()
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages())} mail(s) arrived, {count} expected")

    def to(self, address: str, count: int = 1) -> list[email.message.EmailMessage]:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            got = [m for m in self.messages() if m["To"] == address]
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"no mail to {address}")

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def text_of(m: email.message.EmailMessage) -> str:
    return m.get_body(("plain",)).get_content()


def token_in(m: email.message.EmailMessage) -> str:
    found = TOKEN.search(text_of(m))
    assert found, text_of(m)
    return found.group(1)


MAIL_ENV = {"MAIL_POLL_MILLISECONDS": "50", "MAIL_RETRY_SECONDS": "1",
            "PUBLIC_URL": "https://app.example.com", "MAIL_FROM": "Example <no-reply@example.com>"}


@pytest.fixture
def smtp(tmp_path):
    s = Smtp(tmp_path / "mail")
    yield s
    s.stop()


def test_a_reset_is_mailed_to_a_known_address_only_and_its_link_works_once(make_server, smtp):
    smtp.start()
    srv = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
    c = srv.client
    acc = register(c)
    known = c.post("/auth/password-reset", {"email": acc.email.upper()})
    unknown = c.post("/auth/password-reset", {"email": unique_email("nobody")})
    assert (known.status, known.json) == (202, {}) == (unknown.status, unknown.json)
    mail = smtp.to(acc.email)[0]
    assert mail["From"] == "Example <no-reply@example.com>" and mail["Subject"]
    assert mail.get_body(("html",)) is not None, "an HTML part too"
    assert "https://app.example.com/reset-password?token=" in text_of(mail)
    token = token_in(mail)
    assert c.get(f"/auth/password-reset/confirm?token={token}").status in (404, 405)
    assert_error(c.post("/auth/password-reset/confirm", {"token": token, "new_password": "short"}),
                 422, "VALIDATION_ERROR")
    assert_no_content(c.post("/auth/password-reset/confirm", {"token": token, "new_password": NEW_PASSWORD}))
    assert_error(c.post("/auth/password-reset/confirm", {"token": token, "new_password": NEW_PASSWORD}),
                 400, "INVALID_OR_EXPIRED_TOKEN")
    assert_error(c.post("/auth/refresh", {"refresh_token": acc.refresh}), 401, "INVALID_TOKEN")
    assert_error(c.post("/auth/login", {"email": acc.email, "password": PASSWORD}), 401, "INVALID_CREDENTIALS")
    fresh = login(c, acc.email, NEW_PASSWORD)
    me = c.get("/users/me", token=fresh.access).json
    assert me["email_verified"] is True and me["last_login_at"] is not None, me
    time.sleep(0.5)
    assert len(smtp.messages()) == 1, "nothing went to the unknown address"
    tables = " ".join(str(row) for table in ("mail_outbox", "mail_tokens")
                      for row in srv_rows(srv, f"SELECT * FROM {table}"))
    assert token not in tables, "the token is stored only as its hash"


def srv_rows(srv, sql):
    from conftest import db_rows
    return db_rows(srv, sql)


def test_two_confirms_of_one_link_at_once_give_one_success(make_server, smtp):
    smtp.start()
    srv = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
    acc = register(srv.client)
    assert srv.client.post("/auth/password-reset", {"email": acc.email}).status == 202
    token = token_in(smtp.to(acc.email)[0])
    statuses = []

    def confirm():
        statuses.append(srv.client.__class__(srv.host, srv.port).post(
            "/auth/password-reset/confirm", {"token": token, "new_password": NEW_PASSWORD}).status)

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [204, 400, 400, 400], statuses


def test_required_verification_limits_an_unverified_user_until_the_link_is_taken(make_server, smtp):
    smtp.start()
    srv = make_server(SMTP_URL=smtp.url, EMAIL_VERIFICATION="required", **MAIL_ENV)
    c = srv.client
    acc = register(c)
    me = c.get("/users/me", token=acc.access)
    assert me.status == 200 and me.json["email_verified"] is False, me
    assert_error(c.get("/users/me/sessions", token=acc.access), 403, "EMAIL_NOT_VERIFIED")
    mail = smtp.to(acc.email)[0]
    assert "https://app.example.com/verify-email?token=" in text_of(mail)
    assert_no_content(c.post("/auth/verify-email", {"token": token_in(mail)}))
    assert_error(c.post("/auth/verify-email", {"token": token_in(mail)}), 400, "INVALID_OR_EXPIRED_TOKEN")
    assert c.get("/users/me/sessions", token=acc.access).status == 200
    assert c.post("/auth/verify-email/resend", token=acc.access).status == 202
    time.sleep(0.5)
    assert len(smtp.to(acc.email)) == 1, "nothing is sent to a verified address"


def test_an_invitation_sets_the_password_and_signs_in(make_server, smtp):
    smtp.start()
    srv = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
    c = srv.client
    admin = srv.make_admin()
    address = unique_email("invited")
    r = c.post("/users", {"email": address}, token=admin.access)
    assert r.status == 201 and r.json["email_verified"] is False, r
    assert_error(c.post("/auth/login", {"email": address, "password": PASSWORD}), 401, "INVALID_CREDENTIALS")
    token = token_in(smtp.to(address)[0])
    accepted = c.post("/auth/invitation/accept", {"token": token, "password": NEW_PASSWORD})
    assert accepted.status == 200 and accepted.json["token_type"] == "bearer", accepted
    assert c.get("/users/me", token=accepted.json["access_token"]).json["email_verified"] is True
    login(c, address, NEW_PASSWORD)
    listed = c.get(f"/users/?q={address}&email_verified=true", token=admin.access)
    assert [u["email"] for u in listed.json] == [address], listed
    assert c.get(f"/users/?q={address}&email_verified=false", token=admin.access).json == []
    assert_error(c.post("/auth/invitation/accept", {"token": token, "password": NEW_PASSWORD}),
                 400, "INVALID_OR_EXPIRED_TOKEN")
    other = register(c)
    assert c.post(f"/users/{other.id}/verification-email", token=admin.access).status == 202
    assert c.post(f"/users/{other.id}/password-reset-email", token=admin.access).status == 202
    assert len(smtp.to(other.email, 2)) == 2
    assert_error(c.post(f"/users/{other.id}/verification-email", token=other.access), 403, "FORBIDDEN")


def test_a_server_down_then_451_only_delays_the_mail_and_a_550_fails_it(make_server, smtp):
    srv = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
    c = srv.client
    acc = register(c)
    assert c.post("/auth/password-reset", {"email": acc.email}).status == 202
    time.sleep(1.0)  # attempts against a closed port
    smtp.start("--fail-first", "1")
    assert len(smtp.to(acc.email)) == 1
    metrics = c.get("/metrics").body.decode()
    assert re.search(r"^gatehouse_mail_retried_total [1-9]", metrics, re.M), metrics
    smtp.stop()
    smtp.start("--reject")
    admin = srv.make_admin()
    assert c.post(f"/users/{acc.id}/verification-email", token=admin.access).status == 202
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        events = c.get("/admin/audit-events?type=email.delivery_failed", token=admin.access).json["items"]
        if events:
            break
        time.sleep(0.1)
    assert events and events[0]["subject_user_id"] == acc.id and events[0]["reason"] == "rejected", events


def test_a_mail_queued_before_a_kill_9_goes_after_the_restart(make_server, smtp):
    srv = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
    acc = register(srv.client)
    assert srv.client.post("/auth/password-reset", {"email": acc.email}).status == 202
    srv.kill()
    smtp.start()
    srv.start()
    assert len(smtp.to(acc.email)) == 1
    time.sleep(0.5)
    assert len(smtp.to(acc.email)) == 1, "sent once"


def test_without_smtp_development_logs_the_link_and_production_answers_503(make_server):
    dev = make_server(LOG_LEVEL="info", **MAIL_ENV)
    acc = register(dev.client)
    assert dev.client.post("/auth/password-reset", {"email": acc.email}).status == 202
    end = time.monotonic() + DEADLINE
    while not TOKEN.search(dev.log_text()) and time.monotonic() < end:
        time.sleep(0.05)
    token = TOKEN.search(dev.log_text()).group(1)
    assert_no_content(dev.client.post("/auth/password-reset/confirm", {"token": token, "new_password": NEW_PASSWORD}))
    prod = make_server(ENVIRONMENT="production", TRUSTED_PROXIES="none", **MAIL_ENV)
    for address in (acc.email, unique_email("nobody")):
        assert_error(prod.client.post("/auth/password-reset", {"email": address}), 503, "EMAIL_UNAVAILABLE")
    refused = make_server(start=False, migrate=False, ENVIRONMENT="production",
                          EMAIL_VERIFICATION="optional", **MAIL_ENV)
    r = refused.cli("serve", timeout=10)
    assert r.returncode == 2 and "EMAIL_VERIFICATION" in r.stderr, r


def test_a_reset_does_the_same_work_for_a_known_and_an_unknown_address(make_server, smtp):
    """No enumeration by answer or by timing. Counted, not timed (the suite makes no timing
    assertions): each request writes exactly one outbox row, known or not, and the answers
    are byte for byte the same but for the request id; the worker alone finds out which
    address has an account, and skips the other."""
    smtp.start()
    srv = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
    acc = register(srv.client)
    answers = []
    for address in (acc.email, unique_email("nobody")):
        before = srv_rows(srv, "SELECT COUNT(*) FROM mail_outbox")[0][0]
        r = srv.client.post("/auth/password-reset", {"email": address})
        after = srv_rows(srv, "SELECT COUNT(*) FROM mail_outbox")[0][0]
        assert after - before == 1, "one row per request, whatever the address"
        answers.append((r.status, r.body, sorted((k, v) for k, v in r.headers.items()
                                                 if k.lower() not in ("x-request-id", "date"))))
    assert answers[0] == answers[1]
    smtp.to(acc.email)
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        states = sorted(r[0] for r in srv_rows(srv, "SELECT state FROM mail_outbox"))
        if states == ["sent", "skipped"]:
            break
        time.sleep(0.05)
    assert states == ["sent", "skipped"], states
