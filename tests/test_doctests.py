"""The docstring examples of the installed package run as tests (networkx style: examples that cannot rot)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

# The UI pages run Streamlit code at import; they are tested by test_ui.py instead.
# Sub-packages are walked one by one: in an editable install they live in other folders than gokg/.
PACKAGES = ["gokg", "gokg.ingest", "gokg.graph"]
MODULES = sorted(
    {name for name in PACKAGES}
    | {
        info.name
        for package in PACKAGES
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__, package + ".")
        if not info.ispkg
    }
)


def test_the_package_has_examples():
    examples = sum(len(t.examples) for name in MODULES for t in doctest.DocTestFinder().find(importlib.import_module(name)))
    assert examples >= 10


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (run pytest -s to see them)"
