"""Stoplight Prism's validating proxy (`prism proxy`, pinned in package-lock.json beside this
file) in front of a running gatehouse: it forwards every request, checks the request and
the response against the OpenAPI document, and reports what does not match in an
`sl-violations` response header (a JSON list of {location, severity, code, message}).

It runs without --errors: with it, Prism answers a request the document calls invalid
itself (its own 401 or 422, never forwarded) and an unknown path with its own 404, so a test
of gatehouse's refusals would see Prism's answers; and --errors turns only error-severity
response violations into a 500, while an undeclared 4xx or 5xx status is a warning. The
harness (violations.py) judges every violation instead, whatever its severity."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

START_TIMEOUT = 60.0  # node loads Prism's modules in a few seconds; a busy machine is slower


def prism_binary() -> str:
    path = Path(os.environ.get("GH_NODE_MODULES", "")) / ".bin" / "prism"
    if not path.is_file():
        raise RuntimeError("GH_NODE_MODULES must name the folder where tools/npm-ci installed "
                           "tests/contract (CTest sets it)")
    return str(path)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrismProxy:
    """`prism proxy DOCUMENT UPSTREAM` on a free loopback port; its output goes to `log`."""

    def __init__(self, document: Path, upstream: str, log: Path):
        self.host = "127.0.0.1"
        self.log = log
        self.proc: subprocess.Popen | None = None
        for _ in range(3):  # another process may take the free port before Prism binds it
            self.port = _free_port()
            if self._start(document, upstream):
                return
        raise RuntimeError(f"prism proxy did not start; log:\n{self.log_text()}")

    def _start(self, document: Path, upstream: str) -> bool:
        seen = len(self.log_text())
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [prism_binary(), "proxy", str(document), upstream, "--host", self.host,
                 "--port", str(self.port), "--cors=false", "--errors=false",
                 "--multiprocess=false"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"})
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if "Prism is listening" in self.log_text()[seen:]:
                return True
            time.sleep(0.1)
        self.close()
        return False

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""
