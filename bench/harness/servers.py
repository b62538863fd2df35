"""The servers under test: nginx (the ceiling), gatehouse, the reference app (peer) and the
Fastify peer (what a Node.js team would build).
Each runs in the foreground of its own process so that it can be measured and stopped."""
import os
import sqlite3
import subprocess

from . import procs

BENCH_SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
ACCESS_MINUTES = "240"  # tokens minted at seeding must outlive the whole run


class Nginx:
    label = "nginx"

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.port = procs.free_port()
        self.proc = None

    def start(self):
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, port=self.port))
        self.proc = subprocess.Popen(
            ["nginx", "-p", self.dir, "-c", conf, "-e", os.path.join(self.dir, "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.wait_until_up(self.port, "/health/live", self.proc)

    def stop(self):
        procs.stop(self.proc)


# A static 200 with the same body as gatehouse's liveness answer: what HTTP alone costs.
NGINX_CONF = """
daemon off;
master_process on;
worker_processes auto;
pid {dir}/nginx.pid;
events {{ worker_connections 20000; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      default_type application/json;
      return 200 '{{"status":"alive"}}';
    }}
  }}
}}
"""


class Gatehouse:
    label = "gatehouse"

    def __init__(self, binary, database_url, workdir, name):
        self.binary = binary
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = procs.free_port()
        self.proc = None
        self.env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=BENCH_SECRET,
                        ENVIRONMENT="development", HOST="127.0.0.1", PORT=str(self.port),
                        RATE_LIMIT_REQUESTS="0", ACCESS_TOKEN_EXPIRE_MINUTES=ACCESS_MINUTES,
                        # Every load comes from loopback, the 10,000 idle connections too.
                        MAX_CONNECTIONS_PER_ADDRESS="0",
                        LOG_LEVEL="info", LOG_FORMAT="json")

    def cli(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], env=self.env, cwd=self.dir, input=stdin,
                              capture_output=True, text=True)

    def prepare(self, admin_email, password):
        for args, stdin in ((("migrate", "up"), None),
                            (("create-admin", "--email", admin_email, "--password-stdin"),
                             password + "\n")):
            r = self.cli(*args, stdin=stdin)
            if r.returncode != 0:
                raise RuntimeError(f"gatehouse {' '.join(args)}: {r.stderr.strip()}")

    def spawn(self):
        # The access log (one JSON line per request) stays on, as in production; it goes
        # to /dev/null so that disk speed does not enter the figures.
        return subprocess.Popen([self.binary, "serve"], env=self.env, cwd=self.dir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.proc = self.spawn()
        procs.wait_until_up(self.port, "/health/live", self.proc)

    def stop(self):
        procs.stop(self.proc)


class Peer:
    label = "reference"

    def __init__(self, peer_dir, database_url, workdir, name, make_admin):
        self.peer_dir = peer_dir
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = procs.free_port()
        self.database_url = database_url
        self.make_admin = make_admin  # (email) -> None: sets the role in the database
        self.proc = None
        self.env = dict(os.environ, SECRET_KEY=BENCH_SECRET, PYTHONDONTWRITEBYTECODE="1",
                        RATE_LIMIT_REQUESTS=str(10**9),
                        ACCESS_TOKEN_EXPIRE_MINUTES=ACCESS_MINUTES)

    def start(self):
        # The seed's deployment: gunicorn, 2 x cores + 1 uvicorn workers. Its access log
        # goes to /dev/null like gatehouse's; its error log is kept.
        log = open(os.path.join(self.dir, "peer.log"), "w")
        self.proc = subprocess.Popen(
            [os.path.join(self.peer_dir, "start.sh"), str(self.port), self.database_url],
            env=self.env, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=log)
        procs.wait_until_up(self.port, "/health", self.proc, timeout=120)

    def stop(self):
        procs.stop(self.proc, timeout=30)


class Fastify:
    """../shared/peer-fastify, from the writable copy bench/run installed (npm ci): Fastify 5,
    one node:cluster worker per core, better-sqlite3 or node-postgres."""
    label = "fastify"

    def __init__(self, fastify_dir, database_url, workdir, name):
        self.fastify_dir = fastify_dir
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = procs.free_port()
        self.database_url = database_url
        self.proc = None
        self.env = dict(os.environ, SECRET_KEY=BENCH_SECRET, RATE_LIMIT_REQUESTS="0",
                        ACCESS_TOKEN_EXPIRE_MINUTES=ACCESS_MINUTES, LOG_LEVEL="warn")

    def start(self):
        log = open(os.path.join(self.dir, "fastify.log"), "w")
        self.proc = subprocess.Popen(
            [os.path.join(self.fastify_dir, "start.sh"), str(self.port), self.database_url],
            env=self.env, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=log)
        procs.wait_until_up(self.port, "/health", self.proc, timeout=120)

    def stop(self):
        procs.stop(self.proc, timeout=30)


def sqlite_admin_setter(path):
    def make_admin(email):
        with sqlite3.connect(path) as db:
            db.execute("UPDATE users SET role = 'admin' WHERE email = ?", (email,))
    return make_admin
