"""The command line: --version/--help, flag and configuration errors (exit 2, one line
naming the setting), migrations, create-admin, openapi, .env, and the serve lifecycle
(SIGTERM/SIGINT exit 0, in-flight requests drained)."""
from __future__ import annotations

import json
import re
import signal
import socket
import threading
import time

import pytest

from client import (
    Client, PASSWORD, RawConn, assert_error, assert_tokens, free_port, http_request_bytes, login,
    register, unique_email, wait_until,
)

# A bound for what the tests below wait for, however busy the machine.
PATIENCE = 60.0


def one_line(stderr: str) -> str:
    lines = [l for l in stderr.splitlines() if l.strip()]
    assert len(lines) == 1, f"expected exactly one line on stderr, got {len(lines)}:\n{stderr}"
    return lines[0]


@pytest.fixture
def workspace(make_server):
    """A migrated workspace (cwd, database, env) with no server running."""
    return make_server(start=False)


@pytest.fixture
def bare_workspace(make_server):
    """A workspace whose database has never been migrated."""
    return make_server(start=False, migrate=False)


# ------------------------------------------------------------------- --version / --help / bad flags


def test_version(bare_workspace):
    r = bare_workspace.cli("--version", timeout=10)
    assert r.returncode == 0, r
    assert re.search(r"\d+\.\d+\.\d+", r.stdout), r


def test_help(bare_workspace):
    r = bare_workspace.cli("--help", timeout=10)
    assert r.returncode == 0, r
    for word in ("serve", "migrate", "create-admin"):
        assert word in r.stdout, f"--help does not mention {word}:\n{r.stdout}"


@pytest.mark.parametrize("args, needle", [
    (["--bogus"], "bogus"),
    (["serve", "--bogus"], "bogus"),
    (["frobnicate"], "frobnicate"),
    (["serve", "--port", "notaport"], "port"),
])
def test_bad_flags_exit_2_with_one_line(workspace, args, needle):
    r = workspace.cli(*args, timeout=10)
    assert r.returncode == 2, r
    line = one_line(r.stderr)
    assert needle.lower() in line.lower(), line


# ------------------------------------------------------------------- bad configuration


@pytest.mark.parametrize("var, value", [
    ("PORT", "abc"),
    ("PORT", "70000"),
    ("PORT", "-1"),
    ("THREADS", "many"),
    ("RATE_LIMIT_REQUESTS", "lots"),
    ("RATE_LIMIT_WINDOW_SECONDS", "-5"),
    ("ACCESS_TOKEN_EXPIRE_MINUTES", "soon"),
    ("DATABASE_URL", "mysql://user:pass@localhost/db"),
    ("ENVIRONMENT", "staging"),
    ("LOG_LEVEL", "chatty"),
    ("LOG_FORMAT", "xml"),
])
def test_bad_configuration_exits_2_naming_the_setting(workspace, var, value):
    r = workspace.cli("serve", env={var: value}, timeout=10)
    assert r.returncode == 2, r
    line = one_line(r.stderr)
    assert var in line, f"stderr does not name {var}: {line}"


@pytest.mark.parametrize("secret", [None, "change-me-in-production", "too-short-secret"],
                         ids=["missing", "placeholder", "short"])
def test_production_refuses_a_weak_secret(workspace, secret):
    r = workspace.cli("serve", env={"ENVIRONMENT": "production", "SECRET_KEY": secret}, timeout=10)
    assert r.returncode == 2, r
    assert "SECRET_KEY" in one_line(r.stderr), r.stderr


def test_production_refuses_wildcard_origin_with_credentials(workspace):
    r = workspace.cli("serve", env={"ENVIRONMENT": "production", "ALLOWED_ORIGINS": '["*"]'}, timeout=10)
    assert r.returncode == 2, r
    assert "ALLOWED_ORIGINS" in one_line(r.stderr), r.stderr


def test_production_starts_with_a_strong_secret(make_server):
    srv = make_server(ENVIRONMENT="production")
    assert srv.client.get("/health").json == {"status": "healthy"}
    srv.stop_ok()


def test_dotenv_is_read_and_the_environment_wins(workspace):
    (workspace.workdir / ".env").write_text("# test\nexport PORT=abc\n")
    r = workspace.cli("serve", env={"PORT": None}, timeout=10)
    assert r.returncode == 2, r
    assert "PORT" in one_line(r.stderr), r.stderr
    # PORT in the environment wins over the file.
    workspace.start()
    assert workspace.client.get("/health/live").status == 200
    workspace.stop_ok()


def test_dotenv_values_are_used(make_server):
    srv = make_server(start=False)
    (srv.workdir / ".env").write_text(f'PORT="{srv.port}"\nRATE_LIMIT_REQUESTS=2\n')
    srv.start(env={"PORT": None, "RATE_LIMIT_REQUESTS": None}, probe="tcp")
    statuses = [srv.client.get("/health").status for _ in range(3)]
    assert statuses == [200, 200, 429], statuses


# ------------------------------------------------------------------- migrations


def test_serve_refuses_an_unmigrated_database(bare_workspace):
    r = bare_workspace.cli("serve", timeout=10)
    assert r.returncode == 2, r
    assert "gatehouse migrate up" in r.stderr, r.stderr


def test_migrate_status_up_down_cycle(bare_workspace):
    ws = bare_workspace
    before = ws.cli("migrate", "status")
    assert before.returncode == 0, before
    assert before.stdout.strip(), "migrate status printed nothing"
    ws.migrate_up()
    after = ws.cli("migrate", "status")
    assert after.returncode == 0, after
    assert after.stdout.strip() and after.stdout != before.stdout, (before.stdout, after.stdout)
    assert len([l for l in after.stdout.splitlines() if l.strip()]) >= 1
    ws.migrate_up()  # idempotent
    r = ws.cli("migrate", "down", "1")
    assert r.returncode == 0, r
    down = ws.cli("migrate", "status")
    assert down.returncode == 0 and down.stdout != after.stdout, (after.stdout, down.stdout)
    r = ws.cli("serve", timeout=10)
    assert r.returncode == 2 and "gatehouse migrate up" in r.stderr, r
    ws.migrate_up()
    ws.start()
    acc = register(ws.client)
    assert ws.client.get("/users/me", token=acc.access).status == 200
    ws.stop_ok()


def test_relative_sqlite_url_is_relative_to_the_working_directory(make_server):
    srv = make_server(start=False, migrate=False, DATABASE_URL="sqlite:///relative.db")
    srv.migrate_up()
    assert (srv.workdir / "relative.db").is_file()
    srv.start()
    register(srv.client)


def test_driver_suffix_in_database_url_is_ignored(make_server):
    srv = make_server(start=False, migrate=False, DATABASE_URL="sqlite+aiosqlite:///driver.db")
    srv.migrate_up()
    assert (srv.workdir / "driver.db").is_file()


# ------------------------------------------------------------------- create-admin


def test_create_admin_before_serving(workspace):
    email = unique_email("Boss")
    r = workspace.create_admin(email, "Adm1n-P@ssw0rd!")
    assert r.returncode == 0, r
    workspace.start()
    c = workspace.client
    acc = login(c, email, "Adm1n-P@ssw0rd!")
    me = c.get("/users/me", token=acc.access)
    assert me.status == 200 and me.json["role"] == "admin" and me.json["email"] == email.lower(), me
    assert me.json["is_active"] is True
    assert c.get("/users/", token=acc.access).status == 200
    workspace.stop_ok()


def test_create_admin_while_serving(make_server):
    srv = make_server()
    acc = srv.make_admin()
    r = srv.client.get("/users/stats", token=acc.access)
    assert r.status == 200, r


def test_create_admin_validates_its_input(workspace):
    for email, password in (("not-an-email", "Adm1n-P@ssw0rd!"), ("ok@example.com", "short"),
                            ("ok@example.com", ""), ("ok@example.com", "p" * 129)):
        r = workspace.create_admin(email, password)
        assert r.returncode != 0, (email, password, r)
        assert r.stderr.strip(), f"a refused create-admin must say why on stderr: {r}"
    workspace.start()
    r = workspace.client.post("/auth/login", {"email": "ok@example.com", "password": "Adm1n-P@ssw0rd!"})
    assert_error(r, 401, "INVALID_CREDENTIALS")
    workspace.stop_ok()


def test_create_admin_requires_password_on_stdin(workspace):
    r = workspace.cli("create-admin", "--email", unique_email(), input="")
    assert r.returncode != 0, r


# ------------------------------------------------------------------- openapi


def test_openapi_command(bare_workspace):
    r = bare_workspace.cli("openapi", timeout=10)
    assert r.returncode == 0, r
    doc = json.loads(r.stdout)
    assert str(doc.get("openapi", "")).startswith("3.1"), doc.get("openapi")
    paths = set(doc.get("paths", {}))
    for p in ("/auth/register", "/auth/login", "/auth/refresh", "/auth/logout", "/auth/logout-all",
              "/auth/password", "/users/me", "/health"):
        assert p in paths, f"{p} missing from the OpenAPI paths {sorted(paths)}"
    # No configuration or database is needed, and none is created.
    assert not (bare_workspace.workdir / "gh.db").exists()


# ------------------------------------------------------------------- lifecycle


def test_sigint_exits_0(make_server):
    srv = make_server()
    assert srv.client.get("/health").status == 200
    assert srv.stop(signal.SIGINT) == 0, srv.log_text()


def test_development_secret_survives_a_restart(make_server):
    srv = make_server(SECRET_KEY=None)
    acc = register(srv.client)
    srv.stop_ok()
    srv.start()
    r = srv.client.get("/users/me", token=acc.access)
    assert r.status == 200 and r.json["email"] == acc.email, r
    assert_tokens(srv.client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)


def test_port_host_and_threads_flags(make_server):
    srv = make_server(start=False)
    env_port = srv.port
    flag_port = free_port()
    srv.port = flag_port
    srv.client = Client(srv.host, flag_port)
    srv.start("--host", "127.0.0.1", "--port", str(flag_port), "--threads", "3", env={"PORT": env_port})
    assert srv.client.get("/health").status == 200
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", env_port), timeout=1).close()


def test_serve_on_an_in_memory_database_applies_the_schema_itself(make_server):
    # No `migrate up` can reach a database that lives in the serving process alone.
    srv = make_server(DATABASE_URL="sqlite:///:memory:", migrate=False)
    assert srv.client.get("/health/ready").status == 200
    acc = register(srv.client)
    assert srv.client.get("/users/me", token=acc.access).status == 200


def test_a_host_name_is_refused_naming_host(workspace):
    r = workspace.cli("serve", env={"HOST": "gatehouse.internal"})
    assert r.returncode == 2, r
    assert "HOST" in r.stderr and "IP address" in r.stderr, r


def hashing(srv) -> bool:
    """True while the server hashes a password for a request it holds."""
    text = srv.client.get("/metrics").body.decode()
    depth = re.search(r"^gatehouse_password_hash_queue_depth (\S+)$", text, re.M)
    return depth is not None and float(depth.group(1)) >= 1


def refuses_connections(srv) -> bool:
    try:
        socket.create_connection((srv.host, srv.port), timeout=1).close()
    except OSError:
        return True
    return False


def test_sigterm_drains_in_flight_requests(make_server):
    srv = make_server()
    results = {}

    def slow_register():
        # Registration hashes a password: the slowest request there is.
        results["r"] = srv.client.post("/auth/register", {"email": unique_email(), "password": PASSWORD},
                                       timeout=PATIENCE)

    # Signalled once the server holds the request, not after a guess at how long that takes.
    # A registration over before it was seen (a fast machine) is tried again.
    for _ in range(20):
        t = threading.Thread(target=slow_register)
        t.start()
        assert wait_until(lambda: hashing(srv) or not t.is_alive(), timeout=PATIENCE, interval=0.005)
        if t.is_alive():
            break
        t.join()
        results.clear()
    assert t.is_alive(), "no registration was seen in flight"
    srv.proc.send_signal(signal.SIGTERM)
    rc = srv.stop(None, timeout=PATIENCE)  # no second signal: that could mean "stop now"
    t.join(PATIENCE)
    assert rc == 0, srv.log_text()
    assert "r" in results, "the in-flight request got no answer"
    assert_tokens(results["r"], 201)


def test_sigterm_lets_a_request_whose_header_arrived_send_its_body(make_server):
    srv = make_server()
    body = json.dumps({"email": unique_email("upload"), "password": PASSWORD}).encode()
    rc = RawConn(srv.host, srv.port, timeout=PATIENCE)
    rc.send(b"POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    # The go-ahead says the header is read, however long the server took to get to it.
    assert rc._read_until(b"\r\n\r\n").startswith(b"HTTP/1.1 100 "), "no 100 Continue"
    rc.send(body[:10])
    srv.proc.send_signal(signal.SIGTERM)
    assert wait_until(lambda: refuses_connections(srv), timeout=PATIENCE), "no drain began"
    rc.send(body[10:])
    r = rc.read_response()
    rc.close()
    assert_tokens(r, 201)
    assert srv.stop(None) == 0, srv.log_text()


def test_sigterm_with_idle_keepalive_connections_exits_promptly(make_server):
    srv = make_server()
    conns = []
    for _ in range(3):
        rc = RawConn(srv.host, srv.port, timeout=5)
        rc.send(http_request_bytes("GET", "/health"))
        assert rc.read_response().status == 200
        conns.append(rc)
    # One connection half way through its headers.
    half = RawConn(srv.host, srv.port, timeout=5)
    half.send(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    t = time.monotonic()
    code = srv.stop(timeout=10)
    assert code == 0, srv.log_text()
    assert time.monotonic() - t < 10
    for c in conns + [half]:
        c.close()


# ------------------------------------------------------------------- gatehouse keys


def keys_listed(ws) -> dict[str, tuple[str, str]]:
    r = ws.cli("keys", "list")
    assert r.returncode == 0, r
    rows = [line.split() for line in r.stdout.splitlines() if line.strip() and not line.startswith("{")]
    return {row[0]: (row[1], row[2]) for row in rows}


def test_keys_commands_rotate_offline_with_the_same_guards_as_the_api(workspace):
    assert keys_listed(workspace) == {}
    made = []
    for alg in ("EdDSA", "ES256"):
        r = workspace.cli("keys", "create", "--alg", alg)
        assert r.returncode == 0, r
        made.append(re.search(r"created (\S+)", r.stdout).group(1))
    assert keys_listed(workspace) == {made[0]: ("EdDSA", "standby"), made[1]: ("ES256", "standby")}
    # Just made: not yet published long enough (KEY_PROPAGATION_SECONDS) to sign.
    refused = workspace.cli("keys", "activate", made[0])
    assert refused.returncode == 1 and "KEY_NOT_PROPAGATED" in one_line(refused.stderr)
    assert workspace.cli("keys", "activate", made[0], "--force").returncode == 0
    assert workspace.cli("keys", "activate", made[1], "--force").returncode == 0
    assert keys_listed(workspace) == {made[0]: ("EdDSA", "retired"), made[1]: ("ES256", "active")}
    active = workspace.cli("keys", "revoke", made[1], "--force")
    assert active.returncode == 1 and "ACTIVE_KEY" in one_line(active.stderr)
    assert "KEY_NOT_REVOKED" in workspace.cli("keys", "delete", made[0]).stderr
    assert "KEY_STILL_IN_USE" in workspace.cli("keys", "revoke", made[0]).stderr
    assert workspace.cli("keys", "revoke", made[0], "--force").returncode == 0
    assert workspace.cli("keys", "delete", made[0]).returncode == 0
    assert keys_listed(workspace) == {made[1]: ("ES256", "active")}
    missing = workspace.cli("keys", "delete", "no-such-kid")
    assert missing.returncode == 1 and "KEY_NOT_FOUND" in one_line(missing.stderr)


@pytest.mark.parametrize("args", [("delete", "-bX3o"), ("revoke", "-bX3o", "--force"),
                                  ("activate", "--force", "-bX3o"), ("revoke", "--", "-bX3o")])
def test_a_kid_that_begins_with_a_dash_is_a_kid_not_an_option(workspace, args):
    # base64url: about one kid in 64 begins with '-'.
    r = workspace.cli("keys", *args)
    assert r.returncode == 1 and "KEY_NOT_FOUND" in one_line(r.stderr), r
