"""Harness for the gatehouse black-box integration suite.

The binary comes from $GATEHOUSE_BIN (CTest sets it). Each server runs in its own temp
directory (its cwd) with its own SQLite database and a free port:

  * `server` / `client` / `admin`: one server per test module; tests use unique emails.
  * `make_server(**env)`: fresh servers (clean database or special settings) that are
    stopped, and checked to exit 0 on SIGTERM, when the test ends.

GATEHOUSE_TEST_DATABASE=postgres runs the same suite on PostgreSQL: each server gets a
fresh database in the test cluster described by the file $GATEHOUSE_TEST_PG_STATE
(written by scripts/pg-test-cluster; CTest starts that cluster for the postgres run).

Server output (stdout + stderr) goes to <tmp>/server.log and is attached to the report
of any failing test.
"""
from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import pytest

from client import SECRET_KEY, Account, Client, free_port, login, unique_email

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
CLI_TIMEOUT = 30.0

# Configuration the suite controls: never inherited from the developer's environment.
CONFIG_VARS = {
    "DATABASE_URL", "SECRET_KEY", "ENVIRONMENT", "HOST", "PORT", "THREADS",
    "ACCESS_TOKEN_EXPIRE_MINUTES", "REFRESH_TOKEN_EXPIRE_DAYS", "ALLOWED_ORIGINS",
    "RATE_LIMIT_REQUESTS", "RATE_LIMIT_WINDOW_SECONDS", "REDIS_URL", "DB_POOL_SIZE",
    "DB_MAX_OVERFLOW", "DB_POOL_RECYCLE_SECONDS", "DB_POOL_PRE_PING", "TRUSTED_PROXIES",
    "LOG_LEVEL", "LOG_FORMAT", "MAX_BODY_BYTES", "PASSWORD_HASH_THREADS",
    "PASSWORD_HASH_QUEUE", "DB_THREADS", "LOGIN_MAX_FAILURES",
    "LOGIN_FAILURE_WINDOW_SECONDS", "STATS_CACHE_SECONDS", "SECRET_KEY_FILE",
    "MAX_HEADER_BYTES", "HEADER_TIMEOUT_SECONDS", "BODY_TIMEOUT_SECONDS",
    "KEEPALIVE_TIMEOUT_SECONDS", "MAX_CONNECTIONS", "LOGIN_MAX_FAILURES_PER_ADDRESS",
    "ARGON2_MEMORY_KIB", "ARGON2_ITERATIONS", "JWT_ISSUER", "JWT_AUDIENCE",
    "JWT_LEEWAY_SECONDS", "HSTS_MAX_AGE_SECONDS", "MFA", "ADMIN_CONSOLE", "SMTP_URL", "MAIL_FROM", "MAIL_RETRY_HOURS",
    "MAIL_RETRY_SECONDS", "MAIL_POLL_MILLISECONDS", "MAIL_PER_ACCOUNT_PER_HOUR",
    "PASSWORD_RESET_TTL_MINUTES", "EMAIL_VERIFICATION_TTL_HOURS", "EMAIL_VERIFICATION",
    "PASSWORD_RESET_URL", "EMAIL_VERIFICATION_URL", "INVITATION_URL", "MAIL_TEMPLATES_DIR",
    "REDIS_FAIL_OPEN", "REDIS_TIMEOUT_MS", "SESSION_RETENTION_DAYS",
    "SESSION_PURGE_INTERVAL_SECONDS", "AUDIT_ENABLED", "AUDIT_INCLUDE", "AUDIT_RETENTION_DAYS",
    "AUDIT_PURGE_INTERVAL_SECONDS", "JWT_ALGORITHM", "KEYS_REFRESH_SECONDS",
    "KEY_PROPAGATION_SECONDS", "PUBLIC_URL",
}

TEST_DATABASE = os.environ.get("GATEHOUSE_TEST_DATABASE", "sqlite")
if TEST_DATABASE not in ("sqlite", "postgres"):
    raise pytest.UsageError(f"GATEHOUSE_TEST_DATABASE={TEST_DATABASE!r}: expected sqlite or postgres")


def read_pg_state(path: str | None = None) -> dict[str, str]:
    """The GATEHOUSE_TEST_PG_* values of a cluster made by scripts/pg-test-cluster."""
    path = path or os.environ.get("GATEHOUSE_TEST_PG_STATE")
    if not path or not Path(path).is_file():
        pytest.fail("the postgres run needs GATEHOUSE_TEST_PG_STATE naming the state file of a "
                    "running test cluster (CTest starts one; by hand: scripts/pg-test-cluster "
                    f"start FILE), got {path!r}", pytrace=False)
    state = {}
    for line in Path(path).read_text().splitlines():
        key, _, value = line.partition("=")
        state[key] = value
    return state


def pg_url(state: dict[str, str], dbname: str, scheme: str = "postgresql") -> str:
    return (f"{scheme}://{state['GATEHOUSE_TEST_PG_USER']}:{state['GATEHOUSE_TEST_PG_PASSWORD']}"
            f"@{state['GATEHOUSE_TEST_PG_HOST']}:{state['GATEHOUSE_TEST_PG_PORT']}/{dbname}")


def psql(state: dict[str, str], sql: str, dbname: str = "postgres") -> str:
    """Runs SQL in the test cluster as its superuser; returns psql's unaligned output."""
    r = subprocess.run(
        [f"{state['GATEHOUSE_TEST_PG_BIN']}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
         "-d", pg_url(state, dbname), "-c", sql],
        capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"psql {sql!r} exited {r.returncode}: {r.stderr}"
    return r.stdout


def create_pg_database(state: dict[str, str]) -> str:
    """A new, empty database; returns its DATABASE_URL."""
    name = "gh_" + uuid.uuid4().hex[:16]
    psql(state, f"CREATE DATABASE {name}")
    return pg_url(state, name)


def _sql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def db_rows(srv: "Server", sql: str, *params: Any) -> list[tuple]:
    """Runs SQL with `?` placeholders against the server's own database, on either backend.
    SQLite gives its native values; PostgreSQL (through psql) gives text, NULL as None."""
    if TEST_DATABASE == "sqlite":
        import sqlite3
        with sqlite3.connect(str(srv.db_path)) as db:
            return [tuple(row) for row in db.execute(sql, params).fetchall()]
    parts = sql.split("?")
    assert len(parts) == len(params) + 1, f"{len(params)} parameters for {sql!r}"
    text = parts[0] + "".join(_sql_literal(p) + rest for p, rest in zip(params, parts[1:]))
    state = read_pg_state()
    r = subprocess.run(
        [f"{state['GATEHOUSE_TEST_PG_BIN']}/psql", "-X", "-q", "-A", "-t", "-F", "\x1f",
         "-P", "null=\x1e", "-v", "ON_ERROR_STOP=1", "-d", srv.database_url, "-c", text],
        capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"psql {text!r} exited {r.returncode}: {r.stderr}"
    return [tuple(None if v == "\x1e" else v for v in line.split("\x1f"))
            for line in r.stdout.splitlines() if line]


_RUNNING: dict[int, "Server"] = {}  # pid -> server, for failure reports and atexit
_TOUCHED: list["Server"] = []  # servers stopped during the current test


def _kill_leftovers() -> None:
    for srv in list(_RUNNING.values()):
        if srv.proc is not None and srv.proc.poll() is None:
            srv.proc.kill()


atexit.register(_kill_leftovers)


def gatehouse_bin_path() -> str:
    b = os.environ.get("GATEHOUSE_BIN")
    if not b:
        pytest.fail("GATEHOUSE_BIN is not set: point it at the built gatehouse binary "
                    "(CTest sets it; by hand: GATEHOUSE_BIN=build/gatehouse)", pytrace=False)
    p = Path(b).resolve()
    if not p.is_file() or not os.access(p, os.X_OK):
        pytest.fail(f"GATEHOUSE_BIN={b!r} is not an executable file", pytrace=False)
    return str(p)


class Server:
    """One gatehouse workspace (cwd + database + env) and, once started, its process."""

    # Something to put in front of every server once it answers (the contract test's
    # validating proxy): called with the server, it returns an object with `host`, `port`
    # and `close()`, and the server's client talks to that instead until the server stops.
    front: Callable[["Server"], Any] | None = None

    def __init__(self, binary: str, workdir: Path, env: dict[str, Any] | None = None, name: str = "server"):
        self.binary = binary
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.port = free_port()
        self.host = "127.0.0.1"
        self.overrides = dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "server.log"
        self.probe_responses = 0  # HTTP answers the readiness probe received
        self.client = Client(self.host, self.port)
        self._front: Any = None
        self.database_url = f"sqlite:///{self.workdir}/gh.db"
        if TEST_DATABASE == "postgres":
            self.database_url = create_pg_database(read_pg_state())

    # -- environment -------------------------------------------------------------------
    def env(self, **extra: Any) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
        env.update({
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "HOST": self.host,
            "PORT": str(self.port),
            "THREADS": "2",
            "RATE_LIMIT_REQUESTS": "0",
            "LOG_LEVEL": "warn",
            "PASSWORD_HASH_THREADS": "2",
            # Many tests fail logins on purpose from one address; only the throttling test
            # (which sets its own value) should ever trip the per-account/address limiter.
            "LOGIN_MAX_FAILURES": "1000",
            "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
            # A healthy Redis on a busy machine can take longer than the 250 ms default, and
            # a command past it counts as an outage; the tests of the timeout set their own.
            "REDIS_TIMEOUT_MS": "10000",
        })
        for k, v in {**self.overrides, **extra}.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = str(v)
        return env

    @property
    def db_path(self) -> Path:
        return self.workdir / "gh.db"

    # -- one-shot commands -------------------------------------------------------------
    def cli(self, *args: str, input: str | None = None, timeout: float = CLI_TIMEOUT,
            env: dict[str, Any] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.binary, *args], cwd=self.workdir, env=self.env(**(env or {})),
            input=input, capture_output=True, text=True, timeout=timeout,
        )

    def migrate_up(self) -> None:
        r = self.cli("migrate", "up")
        assert r.returncode == 0, f"`gatehouse migrate up` exited {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"

    def create_admin(self, email: str, password: str) -> subprocess.CompletedProcess:
        return self.cli("create-admin", "--email", email, "--password-stdin", input=password + "\n")

    # -- the server process --------------------------------------------------------------
    def spawn(self, *args: str, env: dict[str, Any] | None = None) -> subprocess.Popen:
        """Starts `gatehouse serve [args]` without waiting; output appended to the log."""
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== gatehouse serve {' '.join(args)} (port {self.port}) =====\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [self.binary, "serve", *args], cwd=self.workdir, env=self.env(**(env or {})),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        _RUNNING[self.proc.pid] = self
        return self.proc

    def start(self, *args: str, probe: str = "http", env: dict[str, Any] | None = None) -> "Server":
        """Starts the server and waits until it answers. probe="http": GET /health/live
        returns 200; probe="tcp": the port accepts connections (sends no request, for
        tests that count requests)."""
        for attempt in range(3):
            self.spawn(*args, env=env)
            if self._wait_ready(probe):
                self._open_front()
                return self
            rc = self.proc.poll()
            log = self.log_text()
            if rc is not None and attempt < 2 and ("in use" in log.lower() or "eaddrinuse" in log.lower()):
                self.port = free_port()  # lost a port race with a parallel test; retry
                self.client = Client(self.host, self.port)
                continue
            self.kill()
            pytest.fail(f"gatehouse serve did not become live within {START_TIMEOUT:.0f}s "
                        f"(exit code {rc}); log:\n{log}", pytrace=False)
        raise AssertionError("unreachable")

    def _open_front(self) -> None:
        if Server.front is not None and self._front is None:
            self._front = Server.front(self)
            self.client = Client(self._front.host, self._front.port)

    def _close_front(self) -> None:
        if self._front is not None:
            self._front.close()
            self._front = None
            self.client = Client(self.host, self.port)

    def _wait_ready(self, probe: str) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if probe == "tcp":
                    with socket.create_connection((self.host, self.port), timeout=0.5):
                        return True
                r = Client(self.host, self.port, timeout=2).get("/health/live")
                self.probe_responses += 1
                if r.status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def stop(self, sig: int | None = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Signals the server (sig None: only waits, the signal was sent already) and
        returns its exit code; fails the test if it does not exit within `timeout`."""
        assert self.proc is not None
        if sig is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"gatehouse did not exit within {timeout:.0f}s of signal {sig}; log:\n"
                        f"{self.log_text()}", pytrace=False)
        _RUNNING.pop(self.proc.pid, None)
        _TOUCHED.append(self)
        self._close_front()
        return rc

    def stop_ok(self) -> None:
        rc = self.stop()
        assert rc == 0, f"gatehouse exited {rc} after SIGTERM (expected 0); log:\n{self.log_text()}"

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc is not None:
            _RUNNING.pop(self.proc.pid, None)
        self._close_front()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self, limit: int = 20000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return "(no log)"
        text = data.decode("utf-8", "replace")
        return text if len(text) <= limit else "...\n" + text[-limit:]

    def make_admin(self, email: str | None = None, password: str = "Adm1n-P@ssw0rd!") -> Account:
        email = email or unique_email("admin")
        r = self.create_admin(email, password)
        assert r.returncode == 0, f"create-admin exited {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
        return login(self.client, email, password)


# --------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def gatehouse_bin() -> str:
    return gatehouse_bin_path()


def _new_server(binary: str, tmp_path_factory: pytest.TempPathFactory, name: str, env: dict | None) -> Server:
    return Server(binary, tmp_path_factory.mktemp(name), env=env, name=name)


@pytest.fixture(scope="module")
def server(gatehouse_bin: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """One migrated, running server for the whole test module (default settings)."""
    srv = _new_server(gatehouse_bin, tmp_path_factory, f"gh-{request.module.__name__}", None)
    srv.migrate_up()
    srv.start()
    yield srv
    srv.stop_ok()


@pytest.fixture(scope="module")
def client(server: Server) -> Client:
    return server.client


@pytest.fixture(scope="module")
def admin(server: Server) -> Account:
    return server.make_admin()


@pytest.fixture
def make_server(gatehouse_bin: str, tmp_path_factory: pytest.TempPathFactory):
    """Factory for fresh servers: make_server(start=True, migrate=True, probe="http",
    args=(), **env). Env values of None remove a variable. Every server still running at
    the end of the test must exit 0 on SIGTERM."""
    made: list[Server] = []

    def factory(*, start: bool = True, migrate: bool = True, probe: str = "http",
                args: tuple = (), **env: Any) -> Server:
        srv = _new_server(gatehouse_bin, tmp_path_factory, "gh-fresh", env)
        made.append(srv)
        if migrate:
            srv.migrate_up()
        if start:
            srv.start(*args, probe=probe)
        return srv

    yield factory
    failures = []
    for srv in made:
        if srv.running:
            rc = srv.stop()
            if rc != 0:
                failures.append(f"{srv.workdir}: exit {rc}\n{srv.log_text()}")
    assert not failures, "gatehouse did not exit 0 on SIGTERM:\n" + "\n".join(failures)


# --------------------------------------------------------------------------------------
# Attach server logs to failing tests.


def pytest_runtest_setup(item: pytest.Item) -> None:
    _TOUCHED.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        seen = set()
        for srv in [*_RUNNING.values(), *_TOUCHED]:
            if id(srv) in seen:
                continue
            seen.add(id(srv))
            rep.sections.append((f"gatehouse log: {srv.workdir}", srv.log_text()))
