"""The test SMTP server (tests/smtp/smtp_server.py, aiosmtpd on loopback) as a process the
integration tests start, stop and start again on the same port, and the mails it took,
parsed with Python's `email` package.

  smtp = SmtpServer(tmp_path / "smtp").start()          # or .start(fail_first=2), .start(reject=True)
  srv = make_server(SMTP_URL=smtp.url, ...)
  mail = smtp.wait_for(1, to=address)[0]
  mail.recipient, mail.sender, mail.subject, mail.text, mail.html, mail.link, mail.token
  smtp.stop()

The server numbers its files from 1 in each run, so every start writes into a folder of its
own (run-01, run-02, ...) and `messages()` reads them all, in the order they arrived. Only
mails the server accepted (250) are written: a 451 or a 550 leaves no file.
"""
from __future__ import annotations

import email
import email.message
import email.policy
import json
import re
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from client import free_port

SMTP_SERVER = Path(__file__).resolve().parents[1] / "smtp" / "smtp_server.py"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
WAIT_TIMEOUT = 15.0
TOKEN = re.compile(r"token=([A-Za-z0-9_-]+)")
LINK = re.compile(r"https?://[^\s\"'<>]*token=[A-Za-z0-9_-]+")


@dataclass
class Mail:
    """One accepted message: the parsed MIME message and its SMTP envelope."""

    message: email.message.EmailMessage
    envelope: dict  # {"mail_from": ..., "rcpt_tos": [...]}
    path: Path

    @property
    def recipient(self) -> str:
        """The address in To: (lower-cased; the display name, if any, left out)."""
        to = self.message["To"]
        assert to is not None and len(to.addresses) == 1, f"{self.path}: To is {to!r}"
        return to.addresses[0].addr_spec.lower()

    @property
    def sender(self) -> str:
        """The From: header as written (display name and address)."""
        return str(self.message["From"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None, f"{self.path}: no text/plain part"
        return part.get_content()

    @property
    def html(self) -> str:
        part = self.message.get_body(("html",))
        assert part is not None, f"{self.path}: no text/html part"
        return part.get_content()

    @property
    def link(self) -> str:
        """The link in the text part (the one URL that carries token=...)."""
        found = LINK.findall(self.text)
        assert len(set(found)) == 1, f"{self.path}: expected one link with a token, found {found}"
        return found[0]

    @property
    def token(self) -> str:
        found = TOKEN.search(self.link)
        assert found, self.link
        return found.group(1)

    def __repr__(self) -> str:
        return f"<Mail {self.path.parent.name}/{self.path.name} to={self.message['To']!s} subject={self.subject!r}>"


class SmtpServer:
    """tests/smtp/smtp_server.py on 127.0.0.1 and a port of its own, kept across restarts."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.runs = 0

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, *, fail_first: int = 0, reject: bool = False) -> "SmtpServer":
        """Starts the server (it must not be running) and waits for its "ready"."""
        assert not self.running, "the test SMTP server is running already"
        self.runs += 1
        out = self.folder / f"run-{self.runs:02d}"
        args = [sys.executable, str(SMTP_SERVER), "--port", str(self.port), "--dir", str(out)]
        if fail_first:
            args += ["--fail-first", str(fail_first)]
        if reject:
            args.append("--reject")
        log = self.folder / f"run-{self.runs:02d}.log"
        with open(log, "wb") as err:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=err)
        line = self._read_line(START_TIMEOUT)
        if line.strip() != "ready":
            self.kill()
            raise AssertionError(f"the test SMTP server did not say ready within {START_TIMEOUT:.0f}s "
                                 f"(said {line!r}, exit code {self.proc.poll()}); stderr:\n"
                                 f"{log.read_text(errors='replace')}")
        return self

    def _read_line(self, timeout: float) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not sel.select(timeout):
                return ""
            return self.proc.stdout.readline().decode("utf-8", "replace")
        finally:
            sel.close()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers. Its files stay."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc.stdout:
            self.proc.stdout.close()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self, *, fail_first: int = 0, reject: bool = False) -> "SmtpServer":
        self.stop()
        return self.start(fail_first=fail_first, reject=reject)

    def __enter__(self) -> "SmtpServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the mails ------------------------------------------------------------------------
    def messages(self, to: str | None = None) -> list[Mail]:
        """Every mail accepted so far, in order of arrival; with `to`, those to that address."""
        mails = []
        for path in sorted(self.folder.glob("run-*/*.eml")):
            envelope_file = path.with_suffix(".json")
            try:  # the .eml is written first, then the envelope: a mail being written waits
                envelope = json.loads(envelope_file.read_text())
            except (OSError, ValueError):
                continue
            mail = Mail(email.message_from_bytes(path.read_bytes(), policy=email.policy.default),
                        envelope, path)
            if to is None or mail.recipient == to.lower():
                mails.append(mail)
        return mails

    def wait_for(self, n: int, timeout: float = WAIT_TIMEOUT, to: str | None = None) -> list[Mail]:
        """Waits until at least `n` mails (to `to`, when given) have arrived; returns them all."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.messages(to)
            if len(got) >= n:
                return got
            if time.monotonic() >= deadline:
                raise AssertionError(f"{len(got)} mail(s){' to ' + to if to else ''} arrived within "
                                     f"{timeout:.0f}s, {n} expected (all mails: {self.messages()})")
            time.sleep(0.05)
