"""Where the OpenAPI document and one real exchange disagree: what Prism reported for it
(its `sl-violations` header), and what Prism does not check (a request header or query
parameter the operation does not declare, a response header its response does not
declare). Every finding is a sentence naming the exchange; none means the document
described the exchange truthfully."""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

# Request headers of HTTP itself, of credentials (the security scheme) and of CORS: the
# document describes operations, not these.
GENERIC_REQUEST_HEADERS = {
    "host", "content-type", "content-length", "accept", "accept-encoding", "user-agent",
    "connection", "authorization", "origin", "access-control-request-method",
    "access-control-request-headers",
    # What a proxy in front adds, read only from TRUSTED_PROXIES.
    "x-forwarded-for", "x-real-ip", "forwarded",
    # Every operation takes it (the response's X-Request-ID describes it): not per operation.
    "x-request-id",
}

# Response headers of HTTP framing and caching, the security headers every response gets,
# CORS, and what Prism adds.
GENERIC_RESPONSE_HEADERS = {
    "content-type", "content-length", "date", "connection", "keep-alive", "transfer-encoding",
    "content-encoding", "vary", "cache-control", "x-content-type-options", "x-frame-options",
    "referrer-policy", "strict-transport-security", "content-security-policy",
    "access-control-allow-origin", "access-control-allow-credentials",
    "access-control-expose-headers", "access-control-allow-methods",
    "access-control-allow-headers", "access-control-max-age", "sl-violations",
}

ROUTE_NOT_FOUND = "Selected route not found"


class Document:
    """An OpenAPI document with its operations found by method and concrete path."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.templates = []
        for template in doc["paths"]:
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            self.templates.append((template.count("{"), template, re.compile(pattern)))
        self.templates.sort()  # literal segments first, as the router does

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            at: Any = self.doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                at = at[part]
            node = at
        return node

    def operation(self, method: str, path: str) -> dict | None:
        for _, template, pattern in self.templates:
            if pattern.match(path):
                return self.doc["paths"][template].get(method.lower())
        return None

    def response(self, operation: dict, status: int) -> dict | None:
        responses = operation["responses"]
        found = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        return self.resolve(found or responses.get("default"))

    def parameter_names(self, operation: dict, where: str) -> set[str]:
        names = set()
        for p in operation.get("parameters", []):
            p = self.resolve(p)
            if p["in"] == where:
                names.add(p["name"].lower() if where == "header" else p["name"])
        return names


def findings(doc: Document, method: str, target: str, request_headers: Mapping[str, str],
             resp: Any) -> list[str]:
    """Everything the document got wrong about this exchange."""
    return (prism_findings(doc, method, target, request_headers, resp)
            + undeclared(doc, method, target, request_headers, resp))


def prism_findings(doc: Document, method: str, target: str, request_headers: Mapping[str, str],
                   resp: Any) -> list[str]:
    """Prism's violations that the server's answer does not excuse. A request the document
    calls invalid is a finding only when the server served it (below 400); a path the
    document lacks only when the server did not answer 404 or 405 (nor a CORS preflight,
    nor a HEAD of a documented GET: HTTP answers both for any resource)."""
    raw = resp.headers.get("sl-violations")
    if raw is None:
        return []
    where = f"{method} {target} -> {resp.status}"
    try:
        violations = json.loads(raw)
    except ValueError:
        return [f"{where}: Prism: {raw[:2000]}"]
    found = []
    for v in violations:
        location = v.get("location") or ["request"]
        text = f"{where}: Prism: {'.'.join(map(str, location))}: {v.get('message')}"
        if location[0] == "response":
            found.append(text)
        elif v.get("message") == ROUTE_NOT_FOUND:
            if not outside_the_document(doc, method, target, request_headers, resp.status):
                found.append(text)
        elif resp.status < 400:
            found.append(text + " (the server served it)")
    return found


def outside_the_document(doc: Document, method: str, target: str,
                         request_headers: Mapping[str, str], status: int) -> bool:
    names = {k.lower() for k in request_headers}
    if method.upper() == "OPTIONS" and {"origin", "access-control-request-method"} <= names:
        return True
    path = target.partition("?")[0]
    if method.upper() == "HEAD" and doc.operation("GET", path) is not None:
        return True
    return status in (404, 405)


def undeclared(doc: Document, method: str, target: str, request_headers: Mapping[str, str],
               resp: Any) -> list[str]:
    """Headers the exchange carried that its operation's description does not name. (Query
    parameters are not checked: the server ignores those it does not read, and the pages
    add one for cache busting, ?v=.)"""
    path = target.partition("?")[0]
    operation = doc.operation(method, path)
    if operation is None:
        return []
    where = f"{method} {target} -> {resp.status}"
    found = []
    declared = doc.parameter_names(operation, "header")
    for name in request_headers:
        if name.lower() not in GENERIC_REQUEST_HEADERS and name.lower() not in declared:
            found.append(f"{where}: request header {name} is not a parameter of the operation")
    response = doc.response(operation, resp.status)
    if response is None:
        return found  # Prism reports the undeclared status
    declared = {h.lower() for h in response.get("headers", {})}
    for name in resp.headers.keys():
        if name not in GENERIC_RESPONSE_HEADERS and name not in declared:
            found.append(f"{where}: response header {name} is not declared for {resp.status}")
    return found
