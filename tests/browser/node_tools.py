"""Where the browser tests find their npm tools (playwright-core), as CTest installs them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def node_modules() -> str:
    path = os.environ.get("GH_NODE_MODULES", "")
    if not path or not (Path(path) / "playwright-core").is_dir():
        pytest.fail("GH_NODE_MODULES must name the folder where tools/npm-ci installed "
                    "tests/browser (CTest sets it)", pytrace=False)
    return path
