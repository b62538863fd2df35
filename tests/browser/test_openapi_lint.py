"""The document `gatehouse openapi` prints lints clean with Redocly's linter (pinned in
tests/browser/package-lock.json), recommended rules with warnings as errors; and it is
the document the server serves."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from conftest import Server, gatehouse_bin_path  # noqa: E402


def redocly() -> str:
    path = Path(os.environ.get("GH_NODE_MODULES", "")) / ".bin" / "redocly"
    if not path.is_file():
        pytest.fail("GH_NODE_MODULES must name the folder where tools/npm-ci installed "
                    "tests/browser (CTest sets it)", pytrace=False)
    return str(path)


def test_openapi_document_lints_clean(tmp_path):
    srv = Server(gatehouse_bin_path(), tmp_path / "ws")
    r = srv.cli("openapi", timeout=30)
    assert r.returncode == 0, r
    doc = tmp_path / "openapi.json"
    doc.write_text(r.stdout)
    lint = subprocess.run(
        [redocly(), "lint", "--config", str(HERE / "redocly.yaml"), str(doc)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    report = lint.stdout + lint.stderr
    assert lint.returncode == 0, report
    assert "Woohoo! Your API description is valid" in report, report


def test_linter_rejects_a_broken_document(tmp_path):
    """The lint step can fail: a document with an undefined $ref does not pass."""
    doc = tmp_path / "broken.json"
    doc.write_text('{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": '
                   '{"/x": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}}')
    lint = subprocess.run([redocly(), "lint", "--config", str(HERE / "redocly.yaml"), str(doc)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "REDOCLY_TELEMETRY": "off"})
    assert lint.returncode != 0, lint.stdout + lint.stderr


def test_served_document_is_the_printed_one(tmp_path):
    srv = Server(gatehouse_bin_path(), tmp_path / "ws")
    srv.migrate_up()
    srv.start()
    try:
        served = srv.client.get("/openapi.json")
        printed = srv.cli("openapi", timeout=30)
        assert served.status == 200
        assert served.body.decode().strip() == printed.stdout.strip()
    finally:
        srv.stop_ok()
