"""pytest plugin: runs integration test files with Prism's validating proxy in front of every
gatehouse they start (conftest's `Server.front`), checks every exchange the tests' client
makes through it (violations.py), and fails a test during which the OpenAPI document was
found to say something untrue or to leave something out.

Each proxy validates against its server's document as `gatehouse openapi` prints it with
the server's configuration: the one the server serves at /openapi.json (tests/browser
checks they are the same), got without sending the server a request the tests would count
(rate-limit tests count every request).

Starting Prism takes seconds (many more on a busy machine), and the suite starts a server
for nearly every other test, so a Prism is not started per server: each listens in front of
a relay (relay.py) that a server borrows while it runs and points at its own port. As many
Prisms start as servers run at once, each validating against the document it started with;
a server whose document differs gets a Prism of its own.

Prism is not a transparent proxy, so some tests cannot pass through it whatever the
document says; they are deselected here, each with the reason (THROUGH_A_PROXY)."""
from __future__ import annotations

import atexit
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "integration"))

import client as gh_client  # noqa: E402
from prism import PrismProxy  # noqa: E402
from relay import Relay  # noqa: E402
from violations import Document, findings  # noqa: E402

# Tests that Prism itself breaks: test id (file::name, a prefix of parametrised ids) -> why.
THROUGH_A_PROXY = {
    # Prism sends a User-Agent of its own when the client sends none.
    "test_session_list.py::test_without_a_user_agent_the_agent_is_null":
        "Prism sends its own User-Agent",
    # Prism takes DELETE /users/me/sessions for DELETE /users/{id}/sessions; OpenAPI (and the
    # router) match the literal path first, which has no DELETE.
    "test_session_list.py::test_a_method_the_own_list_lacks_is_405_not_the_admin_route":
        "Prism matches a templated path before a literal one",
    # Prism parses a JSON body before forwarding it, and answers one it cannot parse itself.
    "test_auth.py::test_login_malformed_json": "Prism answers malformed JSON itself",
    "test_errors.py::test_malformed_json_is_a_validation_error":
        "Prism answers malformed JSON itself",
    "test_users.py::test_patch_malformed_json_and_wrong_media_type":
        "Prism answers malformed JSON itself",
    "test_errors.py::test_deeply_nested_json_is_refused_not_fatal[100000]":
        "Prism fails on JSON nested 100000 deep (a 500 of its own)",
    # Prism's fetch decompresses a gzip body but forwards Content-Encoding: gzip with it,
    # and reads a binary body as UTF-8 text (a PNG comes back mangled).
    "test_docs.py::test_text_assets_are_gzipped_for_clients_that_accept_it":
        "Prism decompresses gzip bodies and keeps Content-Encoding",
    "test_docs.py::test_assets_have_types_and_long_caching[favicon-32x32.png":
        "Prism reads a PNG as UTF-8 text",
    # These send a JSON body with every method, GET included, which Prism refuses to forward
    # (stoplightio/prism#2259).
    "test_users.py::test_admin_routes_forbid_plain_users": "Prism does not forward a GET body",
    "test_users.py::test_guarded_routes_require_authentication":
        "Prism does not forward a GET body",
    # HTTP auth schemes are case-insensitive (RFC 9110, 11.1); Prism's bearer check is not.
    "test_auth.py::test_bearer_scheme_is_case_insensitive":
        "Prism calls 'bearer' in lower case an invalid security scheme",
}

_FOUND: list[str] = []  # what the checks found since the last test ended
_CHECKED = [0]  # exchanges checked through a proxy


class _Slot:
    """A Prism in front of a relay, validating against one document; lent to one server
    at a time."""

    def __init__(self, text: str, folder: Path):
        self.text = text
        self.document = Document(json.loads(text))
        path = folder / "openapi.json"
        path.write_text(text)
        self.relay = Relay()
        self.proxy = PrismProxy(path, f"http://127.0.0.1:{self.relay.port}", folder / "prism.log")
        self.busy = False

    def close(self) -> None:
        self.proxy.close()
        self.relay.close()


_SLOTS: list[_Slot] = []
_BY_PORT: dict[int, _Slot] = {}  # a lent slot's proxy port -> the slot


class _Front:
    """What conftest's Server.front makes: a free slot pointed at the server."""

    def __init__(self, srv):
        printed = srv.cli("openapi")
        assert printed.returncode == 0, printed
        slot = next((s for s in _SLOTS if not s.busy and s.text == printed.stdout), None)
        if slot is None:
            slot = _Slot(printed.stdout, srv.workdir)
            _SLOTS.append(slot)
        slot.busy = True
        slot.relay.target = srv.port
        self.slot = slot
        self.host, self.port = slot.proxy.host, slot.proxy.port
        _BY_PORT[self.port] = slot

    def close(self) -> None:
        self.slot.relay.target = None
        self.slot.busy = False
        _BY_PORT.pop(self.port, None)


def _observe(conn, method, target, request_headers, resp) -> None:
    slot = _BY_PORT.get(conn.port)
    if slot is not None:
        _CHECKED[0] += 1
        _FOUND.extend(findings(slot.document, method, target, request_headers, resp))


def _stop_all() -> None:
    for slot in _SLOTS:
        slot.close()


def pytest_configure(config: pytest.Config) -> None:
    from conftest import Server  # the integration suite's, already loaded by pytest
    Server.front = _Front
    gh_client.OBSERVERS.append(_observe)
    atexit.register(_stop_all)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        test_id = f"{Path(str(item.fspath)).name}::{item.name}"
        (dropped if any(test_id.startswith(k) for k in THROUGH_A_PROXY) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    yield
    found, _FOUND[:] = list(_FOUND), []
    if found:
        pytest.fail("the OpenAPI document does not describe what the server did:\n  "
                    + "\n  ".join(found), pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A run whose clients bypassed the proxies checked nothing: that is no pass.
    if session.testscollected and not _CHECKED[0]:
        print("\nno exchange went through Prism", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    # What was found outside a test's call (a fixture's teardown) still fails the run.
    if _FOUND:
        print("\nthe OpenAPI document does not describe what the server did:\n  "
              + "\n  ".join(_FOUND), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
