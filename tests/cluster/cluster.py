"""The two-instance topology of deploy/docker-compose.yml, on loopback: a database
(PostgreSQL in the cluster test; one shared SQLite file will do for a quick measurement),
redis-server, `gatehouse migrate up`, instances A
and B, and nginx in front with deploy/nginx/gatehouse.conf.

The deploy files are read, not copied: the instances get deploy/gatehouse.env plus the
same variables the compose file sets (addresses changed to loopback), the migration and
health-check commands come from the compose file and the Dockerfile, and nginx runs the
deploy server block with only the upstream addresses and the listen port replaced.

Every process started is written to $CLUSTER_STATE/pids, so tests/cluster/run can stop
whatever is left if this process dies before its own cleanup."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "integration"))

from client import Client, free_port  # noqa: E402
from redis_server import RedisServer  # noqa: E402

DEPLOY = REPO / "deploy"
SECRET_KEY = "cluster-test-secret-key-0123456789-abcdefghijklmnop"
# The variables docker-compose.yml sets for every instance besides deploy/gatehouse.env.
COMPOSE_VARIABLES = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "HOST", "PORT", "TRUSTED_PROXIES"}


def record_pid(pid: int) -> None:
    state = os.environ.get("CLUSTER_STATE")
    if state:
        with open(Path(state) / "pids", "a") as f:
            f.write(f"{pid}\n")


def read_env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def compose_text() -> str:
    return (DEPLOY / "docker-compose.yml").read_text()


def compose_instance_variables() -> set[str]:
    """The keys of the x-gatehouse `environment:` block of the compose file."""
    block = compose_text().split("x-gatehouse:", 1)[1].split("\nservices:", 1)[0]
    env = block.split("  environment:\n", 1)[1]
    keys = set()
    for line in env.splitlines():
        m = re.match(r"^    ([A-Z_]+):", line)
        if m:
            keys.add(m.group(1))
        elif line.strip() and not line.startswith("    "):
            break
    return keys


def compose_command(service: str) -> list[str]:
    m = re.search(rf"\n  {re.escape(service)}:.*?\n    command: (\[.*?\])", compose_text(), re.S)
    assert m, f"no command for {service} in docker-compose.yml"
    return eval(m.group(1), {})  # a YAML flow list of strings is a Python list literal


def dockerfile_healthcheck() -> list[str]:
    text = (DEPLOY / "Dockerfile").read_text()
    m = re.search(r"HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*?\])", text)
    assert m, "no HEALTHCHECK CMD in deploy/Dockerfile"
    args = eval(m.group(1), {})
    assert args[0] == "gatehouse", args
    return args[1:]


class Process:
    def __init__(self, name: str, argv: list[str], workdir: Path, env: dict[str, str] | None = None):
        self.name, self.argv, self.workdir, self.env = name, argv, workdir, env
        self.log_path = workdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.argv, cwd=self.workdir, env=self.env,
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        record_pid(self.proc.pid)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


class Instance(Process):
    def __init__(self, name: str, binary: str, workdir: Path, env: dict[str, str]):
        self.binary = binary
        self.port = int(env["PORT"])
        super().__init__(name, [binary, *compose_command("gatehouse-a")], workdir, env)
        self.client = Client("127.0.0.1", self.port)

    def healthcheck(self) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *dockerfile_healthcheck()], cwd=self.workdir, env=self.env,
                              capture_output=True, text=True, timeout=30)

    def start_and_wait(self) -> None:
        self.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if not self.running:
                raise AssertionError(f"{self.name} exited {self.proc.returncode}:\n{self.log_text()}")
            if self.healthcheck().returncode == 0:
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not healthy within 20s:\n{self.log_text()}")


class Nginx(Process):
    def __init__(self, workdir: Path, upstreams: list[int]):
        self.port = free_port()
        prefix = workdir / "nginx"
        (prefix / "conf").mkdir(parents=True, exist_ok=True)
        (prefix / "logs").mkdir(exist_ok=True)
        server = (DEPLOY / "nginx" / "gatehouse.conf").read_text()
        # Only addresses change; each must be there exactly once, or the deploy file moved on
        # and this test would no longer test it.
        for old, new in (("server gatehouse-a:8000", f"server 127.0.0.1:{upstreams[0]}"),
                         ("server gatehouse-b:8000", f"server 127.0.0.1:{upstreams[1]}"),
                         ("listen 80;", f"listen 127.0.0.1:{self.port};")):
            assert server.count(old) == 1, f"deploy/nginx/gatehouse.conf: expected one {old!r}"
            server = server.replace(old, new)
        (prefix / "conf" / "gatehouse.conf").write_text(server)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (prefix / "conf" / "nginx.conf").write_text(
            f"{user}worker_processes 1;\nerror_log logs/error.log warn;\npid logs/nginx.pid;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  access_log logs/access.log;\n"
            "  client_body_temp_path tmp/body;\n  proxy_temp_path tmp/proxy;\n"
            "  fastcgi_temp_path tmp/fastcgi;\n  uwsgi_temp_path tmp/uwsgi;\n  scgi_temp_path tmp/scgi;\n"
            "  include gatehouse.conf;\n}\n")
        (prefix / "tmp").mkdir(exist_ok=True)
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        super().__init__("nginx", [binary, "-p", str(prefix), "-c", "conf/nginx.conf", "-g", "daemon off;"],
                         workdir)
        self.client = Client("127.0.0.1", self.port)

    def start_and_wait(self) -> None:
        self.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not self.running:
                raise AssertionError(f"nginx exited {self.proc.returncode}:\n{self.log_text()}")
            try:
                if self.client.get("/health/live").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("nginx not answering within 10s")


class Cluster:
    def __init__(self, binary: str, workdir: Path, database_url: str,
                 extra_env: dict[str, str] | None = None):
        self.binary, self.workdir, self.database_url = binary, workdir, database_url
        self.extra_env = dict(extra_env or {})  # for measurements only; tests use the deploy files
        self.redis = RedisServer(workdir / "redis")
        self.instances: list[Instance] = []
        self.nginx: Nginx | None = None

    def instance_env(self, port: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
        env.update(read_env_file(DEPLOY / "gatehouse.env"))
        overrides = {
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis.url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "TRUSTED_PROXIES": "127.0.0.1",
        }
        assert set(overrides) == compose_instance_variables() == COMPOSE_VARIABLES, \
            f"docker-compose.yml sets {sorted(compose_instance_variables())}; this test sets {sorted(overrides)}"
        env.update(overrides)
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        self.redis.start()
        record_pid(self.redis.proc.pid)
        ports = [free_port(), free_port()]
        migrate = subprocess.run([self.binary, *compose_command("migrate")], cwd=self.workdir,
                                 env=self.instance_env(ports[0]), capture_output=True, text=True, timeout=60)
        assert migrate.returncode == 0, migrate
        for name, port in zip(("a", "b"), ports):
            inst = Instance(name, self.binary, self.workdir, self.instance_env(port))
            self.instances.append(inst)
            inst.start_and_wait()
        self.nginx = Nginx(self.workdir, ports)
        self.nginx.start_and_wait()

    @property
    def a(self) -> Instance:
        return self.instances[0]

    @property
    def b(self) -> Instance:
        return self.instances[1]

    def stop(self) -> list[str]:
        """Stops everything, whatever state it is in; returns what did not end cleanly."""
        problems = []
        if self.nginx:
            self.nginx.stop(signal.SIGQUIT)
        for inst in self.instances:
            was_running = inst.running
            rc = inst.stop()
            if was_running and rc != 0:
                problems.append(f"{inst.name} exited {rc} on SIGTERM")
        self.redis.stop()
        return problems
