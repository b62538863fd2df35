"""Where a bench script's run goes: bench/results/<kind>-<UTC time>.{md,json}, named with the
commit it measured."""
import datetime
import json
import os
import subprocess

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)


def stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def commit():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                          capture_output=True, text=True).stdout.strip()


def write(kind, when, md, data):
    """Prints the markdown and keeps it beside the JSON of every figure."""
    out = os.path.join(BENCH, "results", f"{kind}-{when}")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".md", "w") as f:
        f.write(md)
    with open(out + ".json", "w") as f:
        json.dump(data, f, indent=1)
    print(md)
