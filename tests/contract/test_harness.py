"""The contract harness can fail: through Prism, a document made wrong on purpose in three
ways (a status left out, a request bound the server does not enforce, a response header
left out) is caught on each, and the document the server serves is not."""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "integration"))
from client import PASSWORD, Client, unique_email  # noqa: E402
from conftest import Server, gatehouse_bin_path  # noqa: E402
from prism import PrismProxy  # noqa: E402
from violations import Document, findings  # noqa: E402


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    srv = Server(gatehouse_bin_path(), tmp_path_factory.mktemp("gh"))
    srv.migrate_up()
    srv.start()
    yield srv, srv.client.get("/openapi.json").json
    srv.stop_ok()


def through(srv, doc: dict, folder: Path):
    """Sends three exchanges through Prism validating against `doc`; returns what the
    harness found in each."""
    folder.mkdir()
    path = folder / "openapi.json"
    path.write_text(json.dumps(doc))
    proxy = PrismProxy(path, f"http://{srv.host}:{srv.port}", folder / "prism.log")
    try:
        c = Client(proxy.host, proxy.port)
        document = Document(doc)
        account = {"email": unique_email(), "password": PASSWORD}
        found = {}
        for name, method, target, body in (("me", "GET", "/users/me", None),
                                           ("register", "POST", "/auth/register", account),
                                           ("login", "POST", "/auth/login", account)):
            r = c.request(method, target, json=body)
            assert r.status in (401, 201, 200), r
            found[name] = findings(document, method, target, {}, r)
        return found
    finally:
        proxy.close()


def test_a_wrong_document_is_caught_on_each_lie(served, tmp_path):
    srv, doc = served
    wrong = copy.deepcopy(doc)
    del wrong["paths"]["/users/me"]["get"]["responses"]["401"]
    wrong["components"]["schemas"]["RegisterRequest"]["properties"]["password"]["minLength"] = 100
    del wrong["paths"]["/auth/login"]["post"]["responses"]["200"]["headers"]["Device-Token"]
    found = through(srv, wrong, tmp_path / "wrong")
    assert any("Unable to match the returned status code" in f for f in found["me"]), found
    assert any("the server served it" in f for f in found["register"]), found
    assert any("response header device-token" in f for f in found["login"]), found


def test_the_served_document_describes_the_same_exchanges(served, tmp_path):
    srv, doc = served
    found = through(srv, doc, tmp_path / "served")
    assert found == {"me": [], "register": [], "login": []}, found
