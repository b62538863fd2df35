"""A TOTP enrolment as a person sees it, read by a real QR reader: the real binary answers
POST /auth/mfa/totp, a page shows its qr_svg inline as an application would, Debian's
Chromium renders it with the network cut off (mfa_page.mjs), and zbar (Debian's zbar-tools,
the decoder many scanner apps are built on) reads the screenshot. What it reads must be the
otpauth URI, and a code pyotp computes from what it read must turn the factor on. The
screenshot is the README's (docs/images)."""
from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pyotp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from client import register  # noqa: E402
from conftest import Server, gatehouse_bin_path  # noqa: E402
from node_tools import node_modules  # noqa: E402

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font: 15px system-ui, sans-serif; margin: 24px; color: #222; }}
.qr svg {{ width: 232px; height: 232px; }}
code {{ font-size: 14px; letter-spacing: 1px; }}
</style></head><body>
<h3>Set up your authenticator app</h3>
<p>Scan this code, or type the key by hand, then enter the six digits it shows.</p>
<div class="qr">{svg}</div>
<p>Key: <code>{secret}</code></p>
</body></html>"""


def test_the_enrolment_qr_code_scans_to_a_working_factor(tmp_path):
    out = Path(os.environ.get("GH_BROWSER_OUT") or tmp_path / "out")
    out.mkdir(parents=True, exist_ok=True)
    srv = Server(gatehouse_bin_path(), tmp_path / "server", env={"JWT_ISSUER": "Example App"})
    try:
        srv.migrate_up()
        srv.start()
        account = register(srv.client, "ada.lovelace@example.com")
        r = srv.client.post("/auth/mfa/totp", token=account.access)
        assert r.status == 201, r
        grouped = " ".join(r.json["secret"][i:i + 4] for i in range(0, len(r.json["secret"]), 4))
        page = tmp_path / "enrol.html"
        page.write_text(PAGE.format(svg=r.json["qr_svg"], secret=html.escape(grouped)),
                        encoding="utf-8")
        shot = out / "mfa-enrolment.png"
        ran = subprocess.run(["node", str(HERE / "mfa_page.mjs"), str(page), str(shot)],
                             env={**os.environ, "NODE_MODULES": node_modules()},
                             capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, f"mfa_page.mjs exited {ran.returncode}\n{ran.stdout}\n{ran.stderr}"
        result = json.loads(ran.stdout.strip().splitlines()[-1])
        assert result["requests"] == [] and result["scripts"] == 0, result
        assert result["svg"]["width"] >= 200, result

        scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)],
                                 capture_output=True, text=True, timeout=60)
        assert scanned.returncode == 0, f"zbarimg found no code\n{scanned.stderr}"
        uri = scanned.stdout.strip()
        assert uri == r.json["otpauth_uri"], (uri, r.json["otpauth_uri"])
        totp = pyotp.parse_uri(uri)
        assert totp.issuer == "Example App" and totp.name == account.email, uri
        confirmed = srv.client.post("/auth/mfa/totp/confirm", {"code": totp.now()},
                                    token=account.access)
        assert confirmed.status == 200, confirmed
    finally:
        srv.stop_ok()
