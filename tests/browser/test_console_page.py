"""The admin console in a real browser: the real binary (EdDSA signing keys, mail to a real
SMTP server), Debian's Chromium driven by console_page.mjs through every task an operator
does, controls found by role and label. Asserted here: a non-admin sees only the API's
refusal; the admin signs in with a TOTP code using the keyboard alone; "Load more" costs one
request; search, an invitation (the mail caught), a deactivation that refuses the user's
token at once, sessions ended, LAST_ADMIN and a too-early key activation shown in words, an
audit row; no serious or critical axe-core violation; no console error or CSP violation; no
sideways scroll at 360 px; a sign-in with a recovery code; 15 idle minutes sign out. The screenshots are the README's (docs/images)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyotp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from client import jwt_claims, login, register  # noqa: E402
from conftest import Server, gatehouse_bin_path  # noqa: E402
from node_tools import node_modules  # noqa: E402
from smtp_fixture import SmtpServer  # noqa: E402
from test_email import MAIL_ENV  # noqa: E402

ADMIN_PASSWORD = "Adm1n-P@ssw0rd!"


def admin_with_factor(srv: Server) -> dict:
    email = "ada.admin@example.com"
    r = srv.create_admin(email, ADMIN_PASSWORD)
    assert r.returncode == 0, r.stderr
    acc = login(srv.client, email, ADMIN_PASSWORD)
    body = srv.client.post("/auth/mfa/totp", token=acc.access).json
    step = int(time.time()) // 30
    code = pyotp.TOTP(body["secret"]).at(step * 30)
    confirmed = srv.client.post("/auth/mfa/totp/confirm", {"code": code}, token=acc.access)
    assert confirmed.status == 200, confirmed
    return {"email": email, "password": ADMIN_PASSWORD, "id": acc.id, "secret": body["secret"],
            "used_step": step, "recovery_code": confirmed.json["recovery_codes"][0]}


def scene_for(srv: Server) -> dict:
    admin = admin_with_factor(srv)
    for i in range(55):
        register(srv.client, f"member{i:02d}@example.com")
    target = register(srv.client, "grace.hopper@example.com")
    traveller = register(srv.client, "linus.travels@example.com")
    login(srv.client, traveller.email, traveller.password)
    plain = register(srv.client, "plain.user@example.com")
    return {"admin": {k: admin[k] for k in ("email", "password", "id")},
            "secret": admin["secret"], "used_step": admin["used_step"],
            "recovery_code": admin["recovery_code"],
            "target": {"email": target.email, "id": target.id, "access": target.access},
            "traveller": {"email": traveller.email, "id": traveller.id},
            "user": {"email": plain.email, "password": plain.password},
            "invitee": "new.colleague@example.com"}


def test_an_operator_runs_the_service_from_the_console(tmp_path):
    out = Path(os.environ.get("GH_BROWSER_OUT") or tmp_path / "out")
    out.mkdir(parents=True, exist_ok=True)
    smtp = SmtpServer(tmp_path / "smtp").start()
    srv = Server(gatehouse_bin_path(), tmp_path / "server",
                 env={"SMTP_URL": smtp.url, "JWT_ALGORITHM": "EdDSA", **MAIL_ENV})
    try:
        srv.migrate_up()
        srv.start()
        scene = scene_for(srv)
        scene_file = tmp_path / "scene.json"
        scene_file.write_text(json.dumps(scene), encoding="utf-8")
        ran = subprocess.run(["node", str(HERE / "console_page.mjs"), f"http://{srv.host}:{srv.port}",
                              str(scene_file), str(out)],
                             env={**os.environ, "NODE_MODULES": node_modules()},
                             capture_output=True, text=True, timeout=240)
        assert ran.returncode == 0, f"console_page.mjs exited {ran.returncode}\n{ran.stdout}\n{ran.stderr}"
        result = json.loads(ran.stdout.strip().splitlines()[-1])
        assert "failure" not in result, result.get("failure")
        steps = result["steps"]

        assert steps["outsider"] == "Insufficient permissions", steps
        assert steps["outsiderSeesUsers"] == 0
        assert steps["totals"][0] == "59", steps["totals"]  # the admin, 55 members and 3 more
        assert steps["loadMoreRequests"] == [r for r in steps["loadMoreRequests"] if r.startswith("GET /users/?")]
        assert len(steps["loadMoreRequests"]) == 1, steps["loadMoreRequests"]
        assert "cursor=" in steps["loadMoreRequests"][0]
        assert steps["searchRows"] == 2, "a header row and grace's"
        mail = smtp.wait_for(1, to=scene["invitee"])[0]
        assert "/accept-invitation?token=" in mail.link
        assert steps["deactivated"] == {"before": 200, "after": 401}, steps["deactivated"]
        assert steps["sessionsBefore"] == 2 and steps["sessionsAfterOne"] == 1, steps
        assert steps["lastAdmin"] == "This change would leave no active admin", steps
        assert "has not been published long enough" in steps["rotation"], steps["rotation"]
        assert steps["auditRow"] and steps["signedOut"]
        assert steps["idleSignOut"] == 1, "15 idle minutes sign out"
        assert steps["narrow"]["scrollWidth"] <= steps["narrow"]["clientWidth"], steps["narrow"]

        for view, violations in result["axe"].items():
            grave = [v for v in violations if v["impact"] in ("serious", "critical")]
            assert not grave, f"axe-core on the {view} view: {grave}"
        assert set(result["axe"]) == {"signin", "users", "user", "audit", "keys"}
        assert result["csp"] == [], result["csp"]
        # The refusals the run provoked on purpose (the outsider's 403, LAST_ADMIN's and the
        # key guard's 409) are the only errors: Chromium logs each refused fetch.
        provoked = re.compile(r"^Failed to load resource: the server responded with a status of (403|409) ")
        unexpected = [e for e in result["errors"] if not provoked.match(e)]
        assert unexpected == [], unexpected
        for name in ("console-users.png", "console-user.png", "console-keys.png", "console-users-360.png"):
            assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    finally:
        srv.stop_ok()
        smtp.stop()
