"""Where the installed package keeps what it ships: the bundled seed articles and the UI's entry file.

Both are found through the import system, so they work from a wheel, an editable install or a checkout.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from gokg.errors import GokgError

__all__ = ["seeds_dir", "ui_app"]


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    # An editable install or a checkout: the folder of the same name beside the gokg/ folder
    # (setuptools' editable finder does not resolve a data-only sub-package such as gokg.seeds).
    beside = Path(__file__).resolve().parents[1] / name.rpartition(".")[2]
    if beside.is_dir():
        return beside
    raise GokgError(f"{name} is missing from this gokg installation; reinstall gokg")


def seeds_dir() -> Path:
    """The bundled corpus: ``$GOKG_SEEDS`` if set, else the seed articles installed with the package."""
    if os.environ.get("GOKG_SEEDS"):
        return Path(os.environ["GOKG_SEEDS"])
    return _package_dir("gokg.seeds")


def ui_app() -> Path:
    """The Streamlit entry file (``streamlit run`` needs a path, not a module)."""
    return _package_dir("gokg.ui") / "app.py"
