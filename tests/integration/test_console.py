"""The admin console's page and modules as the binary serves them: a strict CSP (no inline
script or style, never framed), no cache for the page, every module and its imports served
from /admin/assets, and every API call the modules make one the OpenAPI document describes
(the console can do nothing curl cannot). ADMIN_CONSOLE=off removes it. What it does in a
browser is tests/browser/test_console_page.py's."""
from __future__ import annotations

import re

from client import assert_error

CSP = {"default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
       "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"}


def modules(client) -> dict[str, str]:
    """Every module the page loads, and what they import, by name."""
    page = client.get("/admin").body.decode()
    todo = re.findall(r'<script type="module" src="/admin/assets/([^"]+)"', page)
    seen: dict[str, str] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        r = client.get(f"/admin/assets/{name}")
        assert r.status == 200 and r.headers["content-type"] == "text/javascript; charset=utf-8", (name, r)
        seen[name] = r.body.decode()
        todo += re.findall(r"from '\./([^']+)'", seen[name])
    return seen


def test_the_page_is_served_with_a_strict_policy_and_no_cache(client):
    r = client.get("/admin")
    assert r.status == 200 and r.headers["content-type"] == "text/html; charset=utf-8", r
    assert set(r.headers["content-security-policy"].split("; ")) == CSP, r.headers
    assert r.headers["cache-control"] == "no-store", r
    html = r.body.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, "no inline script"
    assert "style=" not in html and "<style" not in html, "no inline style"
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/admin/assets/"), url
        assert client.get(url).status == 200, url
    assert client.get("/admin", headers={"If-None-Match": r.headers["etag"]}).status == 304


def test_the_modules_and_their_imports_are_all_served_here(client):
    found = modules(client)
    assert {"app.js", "api.js", "preact.js", "signin.js", "users.js", "user.js", "audit.js",
            "keys.js", "ui.js"} <= set(found), sorted(found)
    for name, source in found.items():
        assert not re.search(r"https?://", source.replace("http://www.w3.org", "")), name
        assert "localStorage" not in source and "sessionStorage" not in source, name
        assert "document.cookie" not in source, name
    assert_error(client.get("/admin/assets/missing.js"), 404, "NOT_FOUND")
    assert_error(client.get("/admin/assets/index.html"), 404, "NOT_FOUND")


def test_every_call_the_console_makes_is_a_documented_route(client):
    document = client.get("/openapi.json").json["paths"]
    routes = {(method.upper(), re.sub(r"\{[^}]+\}", "{}", path))
              for path, item in document.items() for method in item}
    calls = set()
    for name, source in modules(client).items():
        if name not in ("api.js", "preact.js"):  # the client itself passes its arguments on
            dynamic = re.findall(r"\bcall\((?!'(?:GET|POST|PATCH|DELETE)', [`'])[^)]*", source)
            assert dynamic == [], f"{name}: a call whose method or path this test cannot read: {dynamic}"
        for method, target in re.findall(r"(?:call|send)\('(GET|POST|PATCH|DELETE)', [`']([^`']+)[`']", source):
            path = re.sub(r"\$\{query\([^`]*?\)\}$", "", target)
            path = re.sub(r"\$\{[^}]+\}", "{}", path).rstrip("/") or "/"
            calls.add((method, path))
    assert len(calls) >= 20, sorted(calls)
    undocumented = sorted(c for c in calls if c not in routes)
    assert undocumented == [], undocumented


def test_admin_console_off_removes_it(make_server):
    srv = make_server(ADMIN_CONSOLE="off")
    assert_error(srv.client.get("/admin"), 404, "NOT_FOUND")
    assert_error(srv.client.get("/admin/assets/app.js"), 404, "NOT_FOUND")
    assert "/admin" not in srv.client.get("/openapi.json").json["paths"]
