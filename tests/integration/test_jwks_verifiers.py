"""Access tokens checked by real third-party verifiers through the JWKS URL, not by our own
code: PyJWT's PyJWKClient (Debian's python3-jwt) and panva's jose (npm, pinned in
tests/verifiers), each running the README's own example ("Verifying tokens in another
service"), in EdDSA and ES256, before and after a key rotation; a revoked key's token is then
refused by gatehouse and no longer verifies. Also: the JWKS's caching headers, and its empty
answer (with the start-up line saying why) in HS256 mode."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from client import assert_error, jwt_parts, register

README = Path(__file__).resolve().parents[2] / "README.md"
PLACEHOLDER = "https://id.example.com"
ALGORITHMS = ["EdDSA", "ES256"]


def readme_example(language: str) -> str:
    text = README.read_text()
    section = text.split("### Verifying tokens in another service", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```" + language + r"\n(.*?)```", section, re.S)
    assert len(blocks) == 1, f"README's section should hold one {language} example"
    return blocks[0]


def verifier_modules() -> Path:
    path = os.environ.get("GH_VERIFIER_MODULES", "")
    if not path or not (Path(path) / "jose").is_dir():
        pytest.fail("GH_VERIFIER_MODULES must name the folder where tools/npm-ci installed "
                    "tests/verifiers (CTest sets it)", pytrace=False)
    return Path(path)


def pyjwt_verify(base: str, tokens: list[str]) -> list[dict]:
    """The README's Python example, in a fresh process, on each token."""
    driver = readme_example("python").replace(PLACEHOLDER, base) + """
import json, sys
out = []
for token in sys.argv[1:]:
    try:
        claims = verify(token)
        out.append({"ok": True, "sub": claims["sub"]})
    except jwt.PyJWTError as e:
        out.append({"ok": False, "error": type(e).__name__})
print(json.dumps(out))
"""
    r = subprocess.run([sys.executable, "-c", driver, *tokens], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def jose_verify(base: str, tokens: list[str]) -> list[dict]:
    """The README's Node.js example, in a fresh process, on each token."""
    work = verifier_modules().parent / f"run-{uuid.uuid4().hex}"
    work.mkdir()
    try:
        (work / "verify.mjs").write_text(readme_example("js").replace(PLACEHOLDER, base))
        (work / "driver.mjs").write_text("""
import { verify } from './verify.mjs';
const out = [];
for (const token of process.argv.slice(2)) {
  try {
    const payload = await verify(token);
    out.push({ ok: true, sub: payload.sub });
  } catch (e) {
    out.push({ ok: false, error: e.code || e.message });
  }
}
console.log(JSON.stringify(out));
""")
        r = subprocess.run(["node", str(work / "driver.mjs"), *tokens], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)
    finally:
        for f in work.iterdir():
            f.unlink()
        work.rmdir()


VERIFIERS = {"pyjwt": pyjwt_verify, "jose": jose_verify}


def base_url(srv) -> str:
    return f"http://{srv.host}:{srv.port}"


def kid(token: str) -> str:
    return jwt_parts(token)[0]["kid"]


def wait_for_status(srv, token: str, status: int, within: float) -> int:
    deadline = time.monotonic() + within
    while True:
        got = srv.client.get("/users/me", token=token).status
        if got == status or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_both_verifiers_accept_live_tokens_and_follow_a_rotation(make_server, alg):
    srv = make_server(JWT_ALGORITHM=alg, KEYS_REFRESH_SECONDS="1")
    admin = srv.make_admin()
    user = register(srv.client)
    header = jwt_parts(user.access)[0]
    assert header["alg"] == alg and header["kid"]
    first_kid = header["kid"]
    for name, verify in VERIFIERS.items():
        assert verify(base_url(srv), [user.access]) == [{"ok": True, "sub": user.id}], name
        # A refresh token is HMAC-signed and names no published key: never an access token.
        assert verify(base_url(srv), [user.refresh])[0]["ok"] is False, name

    # Rotate: a new standby key, activated at once (force: no verifier cache to wait for).
    made = srv.client.post("/admin/keys", {"alg": alg}, token=admin.access)
    assert made.status == 201, made
    new_kid = made.json["kid"]
    assert_error(srv.client.post(f"/admin/keys/{new_kid}/activate", token=admin.access), 409, "KEY_NOT_PROPAGATED")
    assert srv.client.post(f"/admin/keys/{new_kid}/activate?force=true", token=admin.access).status == 200
    after = register(srv.client)
    assert kid(after.access) == new_kid != first_kid
    for name, verify in VERIFIERS.items():
        # The retired key is still published: tokens it signed still verify, beside the new ones.
        assert verify(base_url(srv), [user.access, after.access]) == [
            {"ok": True, "sub": user.id}, {"ok": True, "sub": after.id}], name

    # Revoke the retired key: gatehouse refuses its tokens, and it leaves the key set.
    assert_error(srv.client.post(f"/admin/keys/{first_kid}/revoke", token=admin.access), 409, "KEY_STILL_IN_USE")
    assert srv.client.post(f"/admin/keys/{first_kid}/revoke?force=true", token=admin.access).status == 200
    assert wait_for_status(srv, user.access, 401, within=3) == 401
    assert srv.client.get("/users/me", token=after.access).status == 200
    kids = [k["kid"] for k in srv.client.get("/.well-known/jwks.json").json["keys"]]
    assert kids == [new_kid]
    for name, verify in VERIFIERS.items():
        results = verify(base_url(srv), [user.access, after.access])
        assert results[0]["ok"] is False and results[1] == {"ok": True, "sub": after.id}, (name, results)


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_the_key_set_is_public_keys_only_with_caching_headers(make_server, alg):
    srv = make_server(JWT_ALGORITHM=alg)
    r = srv.client.get("/.well-known/jwks.json")
    assert r.status == 200, r
    assert r.headers["cache-control"] == "public, max-age=300"
    assert r.headers["access-control-allow-origin"] == "*"
    (key,) = r.json["keys"]
    public = {"kty", "crv", "x", "kid", "alg", "use"} | ({"y"} if alg == "ES256" else set())
    assert set(key) == public, key  # no "d": never a private half
    assert key["alg"] == alg and key["use"] == "sig"
    assert key["crv"] == ("Ed25519" if alg == "EdDSA" else "P-256")
    again = srv.client.get("/.well-known/jwks.json", headers={"If-None-Match": r.headers["etag"]})
    assert again.status == 304 and again.body == b""


def test_hs256_publishes_an_empty_key_set_and_says_why(make_server):
    srv = make_server(LOG_LEVEL="info")
    r = srv.client.get("/.well-known/jwks.json")
    assert r.status == 200 and r.json == {"keys": []}
    assert "jwks_empty" in srv.log_text()
    user = register(srv.client)
    assert jwt_parts(user.access)[0]["alg"] == "HS256"
    for name, verify in VERIFIERS.items():
        assert verify(base_url(srv), [user.access])[0]["ok"] is False, name
