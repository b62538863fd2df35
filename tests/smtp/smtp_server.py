"""A real SMTP server for the tests: Debian's aiosmtpd on loopback. Each message it accepts is
written to DIR as <n>.eml (the raw bytes as received, after DATA), with the envelope in
<n>.json. It can refuse: `--fail-first N` answers the first N messages' DATA with 451 (try
again later); `--reject` answers every DATA with 550. Runs until killed.

  python3 tests/smtp/smtp_server.py --port PORT --dir DIR [--fail-first N] [--reject]

Prints "ready" on stdout once it accepts connections."""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out: Path, fail_first: int, reject: bool):
        self.out = out
        self.fail_first = fail_first
        self.reject = reject
        self.seen = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            n = self.seen
        if self.reject:
            return "550 5.7.1 Refused by the test server"
        if n <= self.fail_first:
            return "451 4.3.0 Try again later (test server)"
        stem = self.out / f"{n:06d}"
        stem.with_suffix(".eml").write_bytes(envelope.original_content or envelope.content)
        stem.with_suffix(".json").write_text(json.dumps(
            {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}))
        return "250 OK"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--reject", action="store_true")
    args = p.parse_args()
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    controller = Controller(Handler(out, args.fail_first, args.reject), hostname="127.0.0.1",
                            port=args.port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
