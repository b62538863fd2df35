"""/openapi.json, /docs, /redoc and their assets: served by the binary itself (no CDN),
with the right content types and caching headers, and conditional requests answered 304."""
from __future__ import annotations

import gzip
import re

import pytest

from client import assert_error


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_pages_load_only_local_assets(client, page):
    r = client.get(page)
    assert r.status == 200, r
    assert r.headers["content-type"] == "text/html; charset=utf-8", r
    assert r.headers["cache-control"] == "no-cache", r
    # Nothing but this server may be loaded from, whatever the bundles try.
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "img-src 'self' data:" in csp, csp
    assert "http" not in csp, csp
    html = r.body.decode()
    assert "/openapi.json" in html
    urls = asset_urls(html)
    assert urls, html
    for url in urls:
        assert url.startswith("/docs/assets/"), f"{page} loads {url} from elsewhere"
        a = client.get(url)
        assert a.status == 200, (url, a)
        assert len(a.body) > 500, url


@pytest.mark.parametrize("name,content_type", [
    ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    ("swagger-ui.css", "text/css; charset=utf-8"),
    ("favicon-32x32.png", "image/png"),
    ("redoc.standalone.js", "text/javascript; charset=utf-8"),
])
def test_assets_have_types_and_long_caching(client, name, content_type):
    r = client.get(f"/docs/assets/{name}")
    assert r.status == 200, r
    assert r.headers["content-type"] == content_type, r
    assert r.headers["cache-control"] == "public, max-age=604800, immutable", r
    assert re.fullmatch(r'"[0-9a-f]{32}"', r.headers["etag"]), r
    assert r.headers["x-content-type-options"] == "nosniff"
    if name.endswith(".png"):
        assert r.body.startswith(b"\x89PNG"), r


def test_conditional_requests_get_304(client):
    for path in ("/docs/assets/swagger-ui.css", "/docs", "/openapi.json"):
        first = client.get(path)
        etag = first.headers["etag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status == 304, (path, again)
        assert again.body == b"" and again.headers["etag"] == etag, again
        other = client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status == 200 and other.body == first.body, (path, other)


def test_unknown_asset_is_the_404_envelope(client):
    assert_error(client.get("/docs/assets/nope.js"), 404, "NOT_FOUND")
    assert_error(client.get("/docs/assets/..%2Fopenapi.json"), 404, "NOT_FOUND")


def test_openapi_json_headers(client):
    r = client.get("/openapi.json")
    assert r.status == 200, r
    assert r.headers["content-type"] == "application/json", r
    assert r.headers["cache-control"] == "no-cache", r
    doc = r.json
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    me = doc["paths"]["/users/me"]["get"]
    # Either a pasted token or a sign-in through the password flow to POST /auth/token.
    assert me["security"] == [{"OAuth2PasswordBearer": []}, {"bearerAuth": []}]
    password_flow = doc["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
    assert password_flow["tokenUrl"] == "/auth/token"
    assert doc["paths"]["/auth/login"]["post"]["security"] == []
    assert me["responses"]["401"] == {"$ref": "#/components/responses/Unauthorized"}
    register = doc["paths"]["/auth/register"]["post"]
    assert register["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RegisterRequest"}
    assert "422" in register["responses"] and "409" in register["responses"]


def test_documented_bounds_are_enforced(client, admin):
    """The document's numbers are the decoders' own: at the bound passes, past it is 422."""
    doc = client.get("/openapi.json").json
    params = {p["name"]: p["schema"] for p in doc["paths"]["/users"]["get"]["parameters"]}
    top = params["limit"]["maximum"]
    assert client.get(f"/users/?limit={top}", token=admin.access).status == 200
    assert_error(client.get(f"/users/?limit={top + 1}", token=admin.access), 422, "VALIDATION_ERROR")
    low = params["limit"]["minimum"]
    assert_error(client.get(f"/users/?limit={low - 1}", token=admin.access), 422, "VALIDATION_ERROR")
    assert_error(client.get("/users/?skip=-1", token=admin.access), 422, "VALIDATION_ERROR")

    register = doc["components"]["schemas"]["RegisterRequest"]["properties"]["password"]
    short = "x" * (register["minLength"] - 1)
    r = client.post("/auth/register", {"email": "bounds@example.com", "password": short})
    assert_error(r, 422, "VALIDATION_ERROR")
    long = "x" * (register["maxLength"] + 1)
    assert_error(client.post("/auth/register", {"email": "bounds@example.com", "password": long}),
                 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("name", ["swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"])
def test_text_assets_are_gzipped_for_clients_that_accept_it(client, name):
    plain = client.get(f"/docs/assets/{name}", headers={"Accept-Encoding": "identity"})
    zipped = client.get(f"/docs/assets/{name}", headers={"Accept-Encoding": "gzip, deflate, br"})
    refused = client.get(f"/docs/assets/{name}", headers={"Accept-Encoding": "gzip;q=0"})
    assert plain.status == zipped.status == refused.status == 200
    assert "content-encoding" not in plain.headers and "content-encoding" not in refused.headers
    assert zipped.headers["content-encoding"] == "gzip", zipped
    assert gzip.decompress(zipped.body) == plain.body == refused.body
    assert len(zipped.body) * 2 < len(plain.body)
    for r in (plain, zipped):
        assert "Accept-Encoding" in r.headers["vary"], r
    # Each representation has its own validator.
    assert zipped.headers["etag"] != plain.headers["etag"]
    again = client.get(f"/docs/assets/{name}", headers={"Accept-Encoding": "gzip",
                                                        "If-None-Match": zipped.headers["etag"]})
    assert again.status == 304, again
    assert "Origin" in again.headers.get("vary", ""), again
