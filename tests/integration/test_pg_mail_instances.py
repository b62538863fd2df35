"""Two instances on one PostgreSQL send each mail once (this file runs only in the postgres
run): resets queued through both are leased by one worker each (FOR UPDATE SKIP LOCKED), and
every recipient gets exactly one mail from a real SMTP server's point of view."""
from __future__ import annotations

import time
from collections import Counter

from client import register
from test_email_flows import MAIL_ENV, Smtp

USERS = 20


def test_two_instances_send_each_mail_once(make_server, tmp_path):
    smtp = Smtp(tmp_path / "mail").start()
    try:
        a = make_server(SMTP_URL=smtp.url, **MAIL_ENV)
        b = make_server(migrate=False, SMTP_URL=smtp.url, DATABASE_URL=a.database_url, **MAIL_ENV)
        accounts = [register(a.client) for _ in range(USERS)]
        for i, acc in enumerate(accounts):
            via = a if i % 2 else b
            assert via.client.post("/auth/password-reset", {"email": acc.email}).status == 202
        smtp.wait_for(USERS)
        time.sleep(1.0)  # a second sending would show by now: both workers poll every 50 ms
        sent = Counter(m["To"] for m in smtp.messages())
        assert sent == Counter({acc.email: 1 for acc in accounts}), sent
    finally:
        smtp.stop()
