"""A throw-away PostgreSQL cluster (scripts/pg-test-cluster, the one the tests use) with
one database per server under test."""
import os
import subprocess

from . import procs


class Cluster:
    def __init__(self, script, workdir):
        self.script = script
        self.state = os.path.join(workdir, "pg.state")
        self.vars = {}

    def start(self):
        subprocess.run([self.script, "start", self.state], check=True,
                       stdout=subprocess.DEVNULL)
        with open(self.state) as f:
            for line in f:
                key, _, value = line.strip().partition("=")
                self.vars[key] = value

    def stop(self):
        subprocess.run([self.script, "stop", self.state], check=False)

    def psql(self, database, sql, **variables):
        """Runs `sql` from stdin, so that psql fills :'name' with a quoted variable."""
        v = self.vars
        env = dict(os.environ, PGPASSWORD=v["GATEHOUSE_TEST_PG_PASSWORD"])
        cmd = ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", v["GATEHOUSE_TEST_PG_HOST"],
               "-p", v["GATEHOUSE_TEST_PG_PORT"], "-U", v["GATEHOUSE_TEST_PG_USER"], "-d", database]
        for key, value in variables.items():
            cmd += ["-v", f"{key}={value}"]
        subprocess.run(cmd, input=sql, text=True, env=env, check=True, stdout=subprocess.DEVNULL)

    def query(self, database, sql):
        """The rows of one statement, each a list of text fields (NULL reads as '')."""
        v = self.vars
        env = dict(os.environ, PGPASSWORD=v["GATEHOUSE_TEST_PG_PASSWORD"])
        cmd = ["psql", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
               "-h", v["GATEHOUSE_TEST_PG_HOST"], "-p", v["GATEHOUSE_TEST_PG_PORT"],
               "-U", v["GATEHOUSE_TEST_PG_USER"], "-d", database]
        out = subprocess.run(cmd, input=sql, text=True, env=env, check=True,
                             capture_output=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def create_database(self, name):
        self.psql("postgres", 'CREATE DATABASE :"name";', name=name)

    def url(self, name, scheme="postgresql"):
        v = self.vars
        return (f"{scheme}://{v['GATEHOUSE_TEST_PG_USER']}:{v['GATEHOUSE_TEST_PG_PASSWORD']}@"
                f"{v['GATEHOUSE_TEST_PG_HOST']}:{v['GATEHOUSE_TEST_PG_PORT']}/{name}")

    def admin_setter(self, database):
        def make_admin(email):
            self.psql(database, "UPDATE users SET role = 'admin' WHERE email = :'email';",
                      email=email)
        return make_admin


def available(script):
    return os.access(script, os.X_OK) and procs.which("psql")
