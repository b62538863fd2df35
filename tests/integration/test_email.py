"""Email flows (API.md part two, "Email: verification, password reset, invitations") against
the real binary and a real SMTP server (tests/smtp/smtp_server.py through smtp_fixture.py):
what the endpoints answer, what reaches the mailbox, and that a link's token is spent once,
by a POST only, and never stored or logged as itself. Delivery is tested as a client sees it:
a mail server that is down, answers 451 or refuses with 550, and a kill -9 after a 202, delay
a mail or fail it with an audit event, and never lose it or send it twice; the per-account
limit caps the mails silently; development without SMTP_URL logs the link, production without
it answers 503 EMAIL_UNAVAILABLE or refuses to start. Two instances on one PostgreSQL:
test_pg_mail_instances.py.

"The outbox has settled" (no mail in it still queued) is read from the server's own database
(db_rows): every mail asked for before has then been sent, skipped or failed, so a count of
the mails that arrived is final without sleeping."""
from __future__ import annotations

import re
import threading
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest

from client import (
    PASSWORD, assert_error, assert_no_content, assert_tokens, assert_user_out, is_json_response,
    login, parse_time, register, unique_email, wait_until,
)
from conftest import TEST_DATABASE, Server, db_rows
from smtp_fixture import SmtpServer

PUBLIC_URL = "https://app.example.com"
MAIL_FROM = "Gatehouse Tests <no-reply@example.com>"
NEW_PASSWORD = "An0ther-g00d-passphrase"
DEADLINE = 15.0  # for anything the mail worker (polling every 100 ms) does
MAIL_ENV = {"PUBLIC_URL": PUBLIC_URL, "MAIL_FROM": MAIL_FROM,
            "MAIL_POLL_MILLISECONDS": "100", "MAIL_RETRY_SECONDS": "1"}
RESET_LINK = PUBLIC_URL + "/reset-password?token="
VERIFY_LINK = PUBLIC_URL + "/verify-email?token="
INVITE_LINK = PUBLIC_URL + "/accept-invitation?token="
COUNTERS = ("gatehouse_mail_sent_total", "gatehouse_mail_retried_total",
            "gatehouse_mail_failed_total", "gatehouse_mail_skipped_total")

# --------------------------------------------------------------------------------- helpers


def ask_reset(c, address: str):
    """POST /auth/password-reset: 202 {} whatever the address."""
    r = c.post("/auth/password-reset", {"email": address})
    assert r.status == 202 and r.json == {} and is_json_response(r), r
    return r


def confirm(c, token: str, new_password: str = NEW_PASSWORD):
    return c.post("/auth/password-reset/confirm", {"token": token, "new_password": new_password})


def metric(srv: Server, name: str) -> float:
    body = srv.client.get("/metrics").body.decode()
    found = re.search(r"^" + re.escape(name) + r" (\S+)$", body, re.M)
    assert found, f"{name} missing from /metrics:\n{body}"
    return float(found.group(1))


def queued(srv: Server) -> int:
    return int(db_rows(srv, "SELECT COUNT(*) FROM mail_outbox WHERE state = 'queued'")[0][0])


def settle(srv: Server) -> None:
    """Waits until no mail in the outbox is still to be sent (only while SMTP takes mail)."""
    assert wait_until(lambda: queued(srv) == 0, timeout=DEADLINE), \
        f"{queued(srv)} mail(s) still queued after {DEADLINE:.0f}s"


def states_for(srv: Server, address: str) -> list[str]:
    return [row[0] for row in db_rows(srv, "SELECT state FROM mail_outbox WHERE recipient = ?", address)]


def answer_without_ids(r) -> tuple:
    """Status, body and headers of an answer, without what differs per request."""
    headers = sorted((k, v) for k, v in r.headers.items() if k not in ("x-request-id", "date"))
    return r.status, r.body, headers


def assert_mail_shape(mail, to: str, link_start: str) -> None:
    """To the right address, from MAIL_FROM, with a subject, a text part and an HTML part, and
    the link (PUBLIC_URL-based) in both parts."""
    assert mail.recipient == to and mail.envelope["rcpt_tos"] == [to], mail.envelope
    assert mail.sender == MAIL_FROM, mail.sender
    assert mail.subject.strip(), "a subject"
    assert mail.link.startswith(link_start), mail.link
    assert mail.token in mail.html, "the HTML part carries the same link"


def start_module_server(gatehouse_bin, tmp_path_factory, name: str, **env) -> Server:
    srv = Server(gatehouse_bin, tmp_path_factory.mktemp(name), env=env, name=name)
    srv.migrate_up()
    return srv.start()


# -------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def smtp(tmp_path_factory):
    """One SMTP server for the module's shared servers; tests tell mails apart by recipient."""
    with SmtpServer(tmp_path_factory.mktemp("smtp")).start() as s:
        yield s


@pytest.fixture(scope="module")
def mail_server(gatehouse_bin, tmp_path_factory, smtp):
    """EMAIL_VERIFICATION off (the default): only the mails a test asks for. Logs at info, so
    a token in any log line would show."""
    srv = start_module_server(gatehouse_bin, tmp_path_factory, "gh-email",
                              SMTP_URL=smtp.url, LOG_LEVEL="info", **MAIL_ENV)
    yield srv
    srv.stop_ok()


@pytest.fixture(scope="module")
def mail_admin(mail_server):
    return mail_server.make_admin()


@pytest.fixture(scope="module")
def optional_server(gatehouse_bin, tmp_path_factory, smtp):
    srv = start_module_server(gatehouse_bin, tmp_path_factory, "gh-email-optional",
                              SMTP_URL=smtp.url, EMAIL_VERIFICATION="optional", **MAIL_ENV)
    yield srv
    srv.stop_ok()


@pytest.fixture
def own_smtp(tmp_path):
    """An SMTP server of the test's own, not started: the test starts (and restarts) it."""
    with SmtpServer(tmp_path / "smtp") as s:
        yield s


# ---------------------------------------------------------------------- password reset


def test_a_reset_answers_alike_for_every_address_and_mails_the_known_one_only(mail_server, smtp):
    c = mail_server.client
    acc = register(c)
    nobody = unique_email("nobody")
    known, unknown = ask_reset(c, acc.email), ask_reset(c, nobody)
    assert answer_without_ids(known) == answer_without_ids(unknown)
    mail = smtp.wait_for(1, to=acc.email)[0]
    assert_mail_shape(mail, acc.email, RESET_LINK)
    settle(mail_server)
    assert len(smtp.messages(acc.email)) == 1
    assert smtp.messages(nobody) == [], "no mail to an address without an account"


def test_a_reset_link_sets_the_password_once_and_ends_every_session(mail_server, smtp):
    c = mail_server.client
    acc = register(c)
    second = login(c, acc.email, PASSWORD)
    assert c.get("/users/me", token=acc.access).json["email_verified"] is False
    ask_reset(c, acc.email)
    token = smtp.wait_for(1, to=acc.email)[0].token

    assert_error(confirm(c, token, "short"), 422, "VALIDATION_ERROR", loc=["body", "new_password"])
    assert_error(confirm(c, "not-a-token-" + "x" * 32), 400, "INVALID_OR_EXPIRED_TOKEN")
    assert_no_content(confirm(c, token))

    for session in (acc, second):
        assert_error(c.post("/auth/refresh", {"refresh_token": session.refresh}), 401, "INVALID_TOKEN")
        assert_error(c.get("/users/me", token=session.access), 401, "INVALID_TOKEN")
    assert_error(c.post("/auth/login", {"email": acc.email, "password": PASSWORD}), 401,
                 "INVALID_CREDENTIALS")
    fresh = login(c, acc.email, NEW_PASSWORD)
    assert c.get("/users/me", token=fresh.access).json["email_verified"] is True, \
        "taking a reset link proves the address"
    assert_error(confirm(c, token, "Yet-an0ther-passphrase"), 400, "INVALID_OR_EXPIRED_TOKEN")
    login(c, acc.email, NEW_PASSWORD)


def test_two_confirms_of_one_link_at_once_give_one_success(mail_server, smtp):
    c = mail_server.client
    acc = register(c)
    ask_reset(c, acc.email)
    token = smtp.wait_for(1, to=acc.email)[0].token
    barrier = threading.Barrier(2)
    answers = []

    def take(password: str) -> None:
        barrier.wait(timeout=10)
        answers.append((confirm(c, token, password), password))

    threads = [threading.Thread(target=take, args=(p,)) for p in (NEW_PASSWORD, "Racing-passw0rd-two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r.status for r, _ in answers) == [204, 400], answers
    (won, password), = [(r, p) for r, p in answers if r.status == 204]
    (lost, _), = [(r, p) for r, p in answers if r.status == 400]
    assert_error(lost, 400, "INVALID_OR_EXPIRED_TOKEN")
    login(c, acc.email, password)  # the winner's password is the one set


def test_a_get_on_the_link_or_the_confirm_route_spends_nothing(mail_server, smtp):
    c = mail_server.client
    acc = register(c)
    ask_reset(c, acc.email)
    mail = smtp.wait_for(1, to=acc.email)[0]
    assert c.get(f"/auth/password-reset/confirm?token={mail.token}").status in (404, 405)
    link = urlsplit(mail.link)
    assert c.get(f"{link.path}?{link.query}").status == 404, "the link is the application's page"
    assert_no_content(confirm(c, mail.token))
    login(c, acc.email, NEW_PASSWORD)


def test_the_database_and_the_log_never_hold_a_mailed_token(mail_server, smtp, mail_admin):
    c = mail_server.client
    acc = register(c)
    ask_reset(c, acc.email)
    assert c.post(f"/users/{acc.id}/verification-email", token=mail_admin.access).status == 202
    tokens = [m.token for m in smtp.wait_for(2, to=acc.email)]
    settle(mail_server)
    stored = " ".join(repr(row) for table in ("mail_outbox", "mail_tokens")
                      for row in db_rows(mail_server, f"SELECT * FROM {table}"))
    assert int(db_rows(mail_server, "SELECT COUNT(*) FROM mail_tokens")[0][0]) >= 2, "the tokens' table"
    files = b""
    if TEST_DATABASE == "sqlite":  # every byte SQLite keeps: the file, its WAL and shared memory
        files = b"".join(p.read_bytes() for p in mail_server.db_path.parent.glob("gh.db*"))
    log = mail_server.log_path.read_text(errors="replace")
    for token in tokens:
        assert token not in stored, "stored only as a keyed hash"
        assert token.encode() not in files, "not in the SQLite files either"
        assert token not in log, "never logged when mail goes through SMTP"


def test_a_reset_does_the_same_work_for_a_known_and_an_unknown_address(mail_server, smtp):
    """No enumeration by timing, checked as test_auth's login check is: counted, not timed (the
    suite makes no timing assertions, which a shared CI machine would make flaky). Each request
    writes one outbox row, known address or not, and answers the same; the worker alone finds
    out which address has an account: it sends one mail and skips the other."""
    c = mail_server.client
    acc = register(c)
    nobody = unique_email("nobody")
    answers = []
    for address in (acc.email, nobody):
        before = int(db_rows(mail_server, "SELECT COUNT(*) FROM mail_outbox")[0][0])
        answers.append(answer_without_ids(ask_reset(c, address)))
        after = int(db_rows(mail_server, "SELECT COUNT(*) FROM mail_outbox")[0][0])
        assert after - before == 1, f"{address}: one outbox row per request"
    assert answers[0] == answers[1]
    settle(mail_server)
    assert states_for(mail_server, acc.email) == ["sent"]
    assert states_for(mail_server, nobody) == ["skipped"]


def test_metrics_show_the_outbox_by_state_and_the_mail_counters(mail_server):
    def scrape() -> str:
        return mail_server.client.get("/metrics").body.decode()

    # The gauge is the worker's count: there once the worker has counted after the start.
    assert wait_until(lambda: "# TYPE gatehouse_mail_outbox gauge\n" in scrape(), timeout=DEADLINE), scrape()
    text = scrape()
    for state in ("queued", "sent", "skipped", "failed"):
        assert re.search(r'^gatehouse_mail_outbox\{state="' + state + r'"\} \d+$', text, re.M), state
    for name in COUNTERS:
        assert re.search(r"^# TYPE " + name + r" counter$", text, re.M), name
        assert re.search(r"^" + name + r" \d+$", text, re.M), name


# ------------------------------------------------------------------------ verification


def test_with_verification_off_a_sign_up_sends_no_mail(mail_server, smtp):
    acc = register(mail_server.client)
    settle(mail_server)
    assert smtp.messages(acc.email) == []
    me = mail_server.client.get("/users/me", token=acc.access)
    assert me.status == 200 and me.json["email_verified"] is False, me


def test_user_out_carries_email_verified_and_last_login_at(optional_server):
    c = optional_server.client
    acc = register(c)
    me = assert_user_out(c.get("/users/me", token=acc.access).json, email=acc.email)
    assert me["email_verified"] is False  # last_login_at: null or a time (assert_user_out)
    again = login(c, acc.email, PASSWORD)
    me = assert_user_out(c.get("/users/me", token=again.access).json, email=acc.email)
    assert isinstance(me["last_login_at"], str), me
    parse_time(me["last_login_at"])


def test_with_optional_verification_a_sign_up_mails_a_link_that_verifies_once(optional_server, smtp):
    c = optional_server.client
    acc = register(c)
    assert c.get("/users/me/sessions", token=acc.access).status == 200, "optional refuses nothing"
    mail = smtp.wait_for(1, to=acc.email)[0]
    assert_mail_shape(mail, acc.email, VERIFY_LINK)
    assert_error(c.post("/auth/verify-email", {"token": "not-a-token-" + "x" * 32}), 400,
                 "INVALID_OR_EXPIRED_TOKEN")
    assert_no_content(c.post("/auth/verify-email", {"token": mail.token}))
    assert c.get("/users/me", token=acc.access).json["email_verified"] is True
    assert_error(c.post("/auth/verify-email", {"token": mail.token}), 400, "INVALID_OR_EXPIRED_TOKEN")


def test_a_resend_for_a_verified_address_sends_nothing(optional_server, smtp):
    c = optional_server.client
    acc = register(c)
    assert_no_content(c.post("/auth/verify-email", {"token": smtp.wait_for(1, to=acc.email)[0].token}))
    assert_error(c.post("/auth/verify-email/resend"), 401, "NOT_AUTHENTICATED")
    r = c.post("/auth/verify-email/resend", token=acc.access)
    assert r.status == 202, r
    settle(optional_server)
    assert len(smtp.messages(acc.email)) == 1, "only the sign-up's mail"


def test_required_verification_lets_an_unverified_user_reach_only_me_until_verified(make_server, smtp):
    srv = make_server(SMTP_URL=smtp.url, EMAIL_VERIFICATION="required", **MAIL_ENV)
    c = srv.client
    acc = register(c)
    me = c.get("/users/me", token=acc.access)
    assert me.status == 200 and me.json["email_verified"] is False, me
    assert_error(c.get("/users/me/sessions", token=acc.access), 403, "EMAIL_NOT_VERIFIED")
    mail = smtp.wait_for(1, to=acc.email)[0]
    assert mail.link.startswith(VERIFY_LINK), mail.link
    assert_no_content(c.post("/auth/verify-email", {"token": mail.token}))
    assert c.get("/users/me/sessions", token=acc.access).status == 200
    assert c.get("/users/me", token=acc.access).json["email_verified"] is True


# ------------------------------------------------------------------------- invitations


def test_an_invitation_sets_the_password_verifies_the_address_and_signs_in(mail_server, mail_admin, smtp):
    c = mail_server.client
    address = unique_email("invited")
    created = c.post("/users", {"email": address, "role": "user"}, token=mail_admin.access)
    assert created.status == 201, created
    assert_user_out(created.json, email=address, role="user")
    assert created.json["email_verified"] is False, created.json
    for password in (PASSWORD, NEW_PASSWORD):  # no password works before the acceptance
        assert_error(c.post("/auth/login", {"email": address, "password": password}), 401,
                     "INVALID_CREDENTIALS")

    mail = smtp.wait_for(1, to=address)[0]
    assert_mail_shape(mail, address, INVITE_LINK)
    assert_error(c.post("/auth/invitation/accept", {"token": mail.token, "password": "short"}),
                 422, "VALIDATION_ERROR", loc=["body", "password"])
    tokens = assert_tokens(c.post("/auth/invitation/accept", {"token": mail.token, "password": NEW_PASSWORD}), 200)
    me = c.get("/users/me", token=tokens["access_token"])
    assert me.status == 200 and me.json["email"] == address and me.json["email_verified"] is True, me
    login(c, address, NEW_PASSWORD)
    assert_error(c.post("/auth/invitation/accept", {"token": mail.token, "password": "Other-passw0rd-9"}),
                 400, "INVALID_OR_EXPIRED_TOKEN")
    login(c, address, NEW_PASSWORD)
    listed = c.get(f"/users/?q={address}&email_verified=true", token=mail_admin.access)
    assert [u["email"] for u in listed.json] == [address], listed
    assert c.get(f"/users/?q={address}&email_verified=false", token=mail_admin.access).json == []


# --------------------------------------------------------------------- the admin's mails


def test_an_admin_can_send_a_user_a_reset_and_a_verification_mail(mail_server, mail_admin, smtp):
    c = mail_server.client
    acc = register(c)
    r = c.post(f"/users/{acc.id}/password-reset-email", token=mail_admin.access)
    assert r.status == 202, r
    r = c.post(f"/users/{acc.id}/verification-email", token=mail_admin.access)
    assert r.status == 202, r
    mails = smtp.wait_for(2, to=acc.email)
    assert sorted(m.link.split("?")[0] for m in mails) == [PUBLIC_URL + "/reset-password",
                                                           PUBLIC_URL + "/verify-email"], mails
    for m in mails:
        assert_mail_shape(m, acc.email, m.link.split("?")[0])
    verify = next(m for m in mails if m.link.startswith(VERIFY_LINK))
    assert_no_content(c.post("/auth/verify-email", {"token": verify.token}))


@pytest.mark.parametrize("route", ["password-reset-email", "verification-email"])
def test_the_admin_mail_routes_refuse_unknown_users_non_admins_and_strangers(mail_server, mail_admin, route):
    c = mail_server.client
    user = register(c)
    assert_error(c.post(f"/users/{uuid.uuid4()}/{route}", token=mail_admin.access), 404, "USER_NOT_FOUND")
    assert_error(c.post(f"/users/{user.id}/{route}", token=user.access), 403, "FORBIDDEN")
    r = c.post(f"/users/{user.id}/{route}")
    assert_error(r, 401, "NOT_AUTHENTICATED")
    assert r.headers.get("www-authenticate", "").lower().startswith("bearer"), r


# ------------------------------------------------------------------ delivery robustness


def test_a_mail_server_down_when_a_reset_is_asked_for_only_delays_the_mail(make_server, own_smtp):
    srv = make_server(SMTP_URL=own_smtp.url, **MAIL_ENV)
    acc = register(srv.client)
    ask_reset(srv.client, acc.email)
    assert wait_until(lambda: metric(srv, "gatehouse_mail_retried_total") >= 1, timeout=DEADLINE), \
        "an attempt against the closed port"
    own_smtp.start()  # the same port
    mail = own_smtp.wait_for(1, to=acc.email)[0]
    settle(srv)
    assert len(own_smtp.messages()) == 1
    assert_no_content(confirm(srv.client, mail.token))


def test_a_mail_deferred_twice_with_451_goes_once(make_server, own_smtp):
    own_smtp.start(fail_first=2)
    srv = make_server(SMTP_URL=own_smtp.url, **MAIL_ENV)
    acc = register(srv.client)
    ask_reset(srv.client, acc.email)
    mail = own_smtp.wait_for(1, to=acc.email)[0]
    settle(srv)
    assert len(own_smtp.messages()) == 1, "taken once"
    assert metric(srv, "gatehouse_mail_retried_total") >= 2
    assert metric(srv, "gatehouse_mail_sent_total") >= 1
    assert_no_content(confirm(srv.client, mail.token))


def test_a_mail_refused_with_550_fails_with_an_audit_event(make_server, own_smtp):
    own_smtp.start(reject=True)
    srv = make_server(SMTP_URL=own_smtp.url, **MAIL_ENV)
    admin = srv.make_admin()
    acc = register(srv.client)
    ask_reset(srv.client, acc.email)
    # The counter counts the server's refusal, just before the row says so: wait for the row.
    assert wait_until(lambda: states_for(srv, acc.email) == ["failed"], timeout=DEADLINE), \
        states_for(srv, acc.email)
    assert metric(srv, "gatehouse_mail_failed_total") >= 1

    def failures() -> list[dict]:
        r = srv.client.get("/admin/audit-events?type=email.delivery_failed", token=admin.access)
        assert r.status == 200, r
        return [e for e in r.json["items"] if e["subject_user_id"] == acc.id]

    assert wait_until(failures, timeout=DEADLINE), "an email.delivery_failed event for the user"
    event = failures()[0]
    assert event["type"] == "email.delivery_failed" and event["outcome"] == "failure", event
    assert own_smtp.messages() == []


def test_a_mail_queued_before_a_kill_9_goes_once_after_the_restart(make_server, own_smtp):
    """The first server polls the outbox once a minute, so it is surely not sending when it
    is killed right after the 202: the mail is only in the database. The restarted server
    (polling every 100 ms) meets a mail server that is still down, then one that is up."""
    srv = make_server(SMTP_URL=own_smtp.url, **{**MAIL_ENV, "MAIL_POLL_MILLISECONDS": "60000"})
    acc = register(srv.client)
    ask_reset(srv.client, acc.email)
    srv.kill()
    srv.start(env={"MAIL_POLL_MILLISECONDS": "100"})
    own_smtp.start()
    mail = own_smtp.wait_for(1, to=acc.email)[0]
    settle(srv)
    assert len(own_smtp.messages()) == 1, "sent exactly once"
    assert_no_content(confirm(srv.client, mail.token))


def test_the_per_account_limit_drops_mails_silently(make_server, smtp):
    srv = make_server(SMTP_URL=smtp.url, MAIL_PER_ACCOUNT_PER_HOUR=2, **MAIL_ENV)
    acc = register(srv.client)
    answers = [answer_without_ids(ask_reset(srv.client, acc.email)) for _ in range(3)]
    assert answers[0] == answers[1] == answers[2], "the third answer says nothing"
    smtp.wait_for(2, to=acc.email)
    settle(srv)
    assert len(smtp.messages(acc.email)) == 2


# ------------------------------------------------------------------------ without SMTP


def test_development_without_smtp_logs_the_link_and_it_works(make_server):
    srv = make_server(LOG_LEVEL="info", **MAIL_ENV)
    acc = register(srv.client)
    ask_reset(srv.client, acc.email)
    logged = re.compile(re.escape(RESET_LINK) + r"([A-Za-z0-9_-]+)")
    assert wait_until(lambda: logged.search(srv.log_path.read_text(errors="replace")), timeout=DEADLINE), \
        "the link in the log"
    token = logged.search(srv.log_path.read_text(errors="replace")).group(1)
    assert_no_content(confirm(srv.client, token))
    login(srv.client, acc.email, NEW_PASSWORD)


def test_production_without_smtp_answers_503_for_every_address(make_server):
    srv = make_server(ENVIRONMENT="production", **MAIL_ENV)
    c = srv.client
    acc = register(c)
    known = c.post("/auth/password-reset", {"email": acc.email})
    unknown = c.post("/auth/password-reset", {"email": unique_email("nobody")})
    assert_error(known, 503, "EMAIL_UNAVAILABLE")
    assert_error(unknown, 503, "EMAIL_UNAVAILABLE")
    assert answer_without_ids(known) == answer_without_ids(unknown)
    admin = srv.make_admin()
    assert_error(c.post(f"/users/{acc.id}/password-reset-email", token=admin.access), 503,
                 "EMAIL_UNAVAILABLE")


def test_production_without_smtp_refuses_to_start_with_verification_on(make_server):
    srv = make_server(start=False, migrate=False, ENVIRONMENT="production",
                      EMAIL_VERIFICATION="optional", **MAIL_ENV)
    migrated = srv.cli("migrate", "up", env={"EMAIL_VERIFICATION": None})
    assert migrated.returncode == 0, migrated  # so nothing but the mail settings is amiss
    r = srv.cli("serve", timeout=10)
    assert r.returncode == 2, r
    assert "EMAIL_VERIFICATION" in r.stderr or "SMTP_URL" in r.stderr, r.stderr
