"""A throwaway redis-server on a free loopback port, for the Redis integration tests.

No persistence, its own directory; stop() always ends it. `cli(...)` runs redis-cli
against it (for looking at keys, never for driving gatehouse)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from client import free_port


class RedisServer:
    def __init__(self, workdir: Path, port: int | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.workdir)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"redis-server exited {self.proc.returncode}: {self.log_path.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    if self.cli("PING").strip() == "PONG":
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise AssertionError("redis-server did not start within 10s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cli(self, *args: str) -> str:
        binary = shutil.which("redis-cli") or "/usr/bin/redis-cli"
        r = subprocess.run([binary, "-p", str(self.port), *args], capture_output=True, text=True, timeout=10)
        return r.stdout
