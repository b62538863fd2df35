"""The same users in every server: BENCH_USERS registered through the API, one admin,
and enough refresh tokens for one per connection of the refresh benchmark."""
import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

PASSWORD = "bench-password-1234"
ADMIN_EMAIL = "bench-admin@example.com"


def user_email(i):
    return f"bench-user-{i}@example.com"


@dataclass
class Seeded:
    user_access: str = ""
    admin_access: str = ""
    refresh_tokens: list = field(default_factory=list)


def post_json(port, path, body, timeout=120.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=json.dumps(body),
                     headers={"Content-Type": "application/json"})
        res = conn.getresponse()
        data = res.read()
        if res.status not in (200, 201):
            raise RuntimeError(f"POST {path}: {res.status} {data[:200]!r}")
        return json.loads(data)
    finally:
        conn.close()


def login(port, email):
    return post_json(port, "/auth/login", {"email": email, "password": PASSWORD})


def seed(port, users, tokens_needed, admin_registers=False):
    """Registers `users` users; logs the admin in (registering it first when the server has
    no command for it: the caller then promotes it in the database before using it)."""
    def register(i):
        return post_json(port, "/auth/register", {"email": user_email(i), "password": PASSWORD})

    with ThreadPoolExecutor(4) as pool:
        pairs = list(pool.map(register, range(users)))
        if admin_registers:
            post_json(port, "/auth/register", {"email": ADMIN_EMAIL, "password": PASSWORD})
        more = max(0, tokens_needed - len(pairs))
        pairs += list(pool.map(lambda i: login(port, user_email(i % users)), range(more)))
    out = Seeded(user_access=pairs[0]["access_token"])
    out.refresh_tokens = [p["refresh_token"] for p in pairs]
    return out


def admin_token(port):
    return login(port, ADMIN_EMAIL)["access_token"]
