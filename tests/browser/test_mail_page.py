"""A password-reset mail as a person sees it: the real binary mails it through a real SMTP
server (aiosmtpd), and Debian's Chromium renders its HTML part with the network cut off,
as a mail client would (mail_page.mjs). The text names the address and how long the link
works, the button goes to the PASSWORD_RESET_URL link with the mailed token, nothing is
fetched from elsewhere and nothing runs. The screenshot is the README's (docs/images)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from client import register  # noqa: E402
from conftest import Server, gatehouse_bin_path  # noqa: E402
from node_tools import node_modules  # noqa: E402
from smtp_fixture import SmtpServer  # noqa: E402
from test_email import MAIL_ENV  # noqa: E402


def test_the_reset_mail_in_chromium(tmp_path):
    out = Path(os.environ.get("GH_BROWSER_OUT") or tmp_path / "out")
    out.mkdir(parents=True, exist_ok=True)
    smtp = SmtpServer(tmp_path / "smtp").start()
    srv = Server(gatehouse_bin_path(), tmp_path / "server", env={"SMTP_URL": smtp.url, **MAIL_ENV})
    try:
        srv.migrate_up()
        srv.start()
        account = register(srv.client, "ada.lovelace@example.com")
        assert srv.client.post("/auth/password-reset", {"email": account.email}).status == 202
        mail = smtp.wait_for(1, to=account.email)[0]
    finally:
        srv.stop_ok()
        smtp.stop()
    html = tmp_path / "mail.html"
    html.write_text(mail.html, encoding="utf-8")
    shot = out / "mail-password-reset.png"
    r = subprocess.run(["node", str(HERE / "mail_page.mjs"), str(html), str(shot)],
                       env={**os.environ, "NODE_MODULES": node_modules()},
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"mail_page.mjs exited {r.returncode}\n{r.stdout}\n{r.stderr}"
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["requests"] == [], "the mail fetches nothing"
    assert result["scripts"] == 0
    assert account.email in result["text"] and "1 hour" in result["text"], result["text"]
    link = f"https://app.example.com/reset-password?token={mail.token}"
    assert any(a["href"] == link and a["visible"] for a in result["links"]), result["links"]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
