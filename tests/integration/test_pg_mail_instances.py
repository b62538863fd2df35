"""Two instances on one PostgreSQL send each mail once (this file runs only in the postgres
run): resets queued through both are leased by one worker each (FOR UPDATE SKIP LOCKED), and
every recipient gets exactly one mail as a real SMTP server sees it."""
from __future__ import annotations

from collections import Counter

from client import register, wait_until
from conftest import db_rows
from smtp_fixture import SmtpServer
from test_email import MAIL_ENV

USERS = 20


def test_two_instances_send_each_mail_once(make_server, tmp_path):
    with SmtpServer(tmp_path / "smtp").start() as smtp:
        a = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
        b = make_server(migrate=False, SMTP_URL=smtp.url, DATABASE_URL=a.database_url, **MAIL_ENV)
        accounts = [register(a.client) for _ in range(USERS)]
        for i, acc in enumerate(accounts):
            via = a if i % 2 else b
            assert via.client.post("/auth/password-reset", {"email": acc.email}).status == 202
        smtp.wait_for(USERS)
        # Settled: no mail left queued in the database both share; the count is then final.
        assert wait_until(lambda: not db_rows(a, "SELECT id FROM mail_outbox WHERE state = 'queued'"),
                          timeout=15)
        sent = Counter(m.recipient for m in smtp.messages())
        assert sent == Counter({acc.email: 1 for acc in accounts}), sent
