"""Runs wrk with the bench's Lua scripts and returns the numbers common.lua prints."""
import json
import os
import subprocess

WRK_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wrk")


def start(port, path, script, seconds, threads=2, connections=64, headers=(), env_extra=None):
    """Starts wrk in the background; finish() waits for it and returns its numbers."""
    env = dict(os.environ, BENCH_WRK_DIR=WRK_DIR, BENCH_WRK_THREADS=str(threads))
    env.update(env_extra or {})
    # A long timeout: the reference's logins take seconds, and a request wrk gives up on
    # would drop out of the latency figures instead of counting in them.
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
           "-s", os.path.join(WRK_DIR, script)]
    for h in headers:
        cmd += ["-H", h]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)


def finish(proc):
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{out}")
    return parse(out)


def run(port, path, script, seconds, threads=2, connections=64, headers=(), env_extra=None):
    return finish(start(port, path, script, seconds, threads, connections, headers, env_extra))


def parse(stdout):
    for line in stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            r = json.loads(line[len("BENCH_JSON "):])
            r["errors"] = (r["non_2xx"] + r["connect_errors"] + r["read_errors"]
                           + r["write_errors"] + r["timeouts"])
            return r
    raise RuntimeError("wrk printed no BENCH_JSON line:\n" + stdout)
