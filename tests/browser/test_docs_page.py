"""/docs in a real browser: Debian's Chromium, driven by playwright-core (docs_page.mjs),
against the real binary. Every operation of the document is listed, "Try it out" on
GET /health answers 200, and "Authorize" with a username and password (the OAuth 2.0
password flow to POST /auth/token) makes GET /users/me work.
Screenshots go to $GH_BROWSER_OUT (CTest: <build>/test-output/browser)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from client import PASSWORD, register  # noqa: E402
from conftest import Server, gatehouse_bin_path  # noqa: E402
from node_tools import node_modules  # noqa: E402


@pytest.fixture
def server(tmp_path):
    srv = Server(gatehouse_bin_path(), tmp_path / "server")
    srv.migrate_up()
    srv.start()
    yield srv
    srv.stop_ok()


def test_docs_page_in_chromium(server, tmp_path):
    out = Path(os.environ.get("GH_BROWSER_OUT") or tmp_path / "out")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    account = register(server.client)
    doc = server.client.get("/openapi.json").json
    expected = {(method, path) for path, item in doc["paths"].items() for method in item}

    r = subprocess.run(
        ["node", str(HERE / "docs_page.mjs"), f"http://{server.host}:{server.port}", str(out),
         account.email, PASSWORD],
        env={**os.environ, "NODE_MODULES": node_modules()}, capture_output=True, text=True,
        timeout=120,
    )
    assert r.returncode == 0, f"docs_page.mjs exited {r.returncode}\n{r.stdout}\n{r.stderr}\n{server.log_text()}"
    result = json.loads(r.stdout.strip().splitlines()[-1])

    listed = {(o["method"], o["path"]) for o in result["operations"]}
    assert listed == expected, f"missing: {expected - listed}, unexpected: {listed - expected}"
    assert len(result["operations"]) == len(expected)
    assert result["health"] == "200", result
    assert result["token_requests"] == [{"status": 200}], result
    assert result["me"]["status"] == "200", result
    assert json.loads(result["me"]["body"])["email"] == account.email
    for request in result["external"]:
        assert request["failure"] in ("csp", "net::ERR_BLOCKED_BY_CSP"), f"the page fetched from elsewhere: {request}"
    assert result["console_errors"] == [], result["console_errors"]
    assert result["redoc_operations"] == len(expected), result["redoc_operations"]
    # ReDoc's only complaint may be its logo from a CDN, which the page's policy refuses.
    for error in result["redoc_console_errors"]:
        assert "Content Security Policy" in error and "cdn.redoc.ly" in error, error
    for name in ("docs.png", "docs-try-health.png", "docs-authorize.png", "redoc.png"):
        shot = out / name
        assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
