"""The registry behind readers, encoders, signals and rerankers: names, aliases, prefixes, plugins, errors."""
from __future__ import annotations

import sys

import pytest

from gokg.errors import EncoderError, InputError
from gokg.ingest.registry import Registry


def test_names_in_registration_order_and_the_error_names_them():
    colours = Registry("colour")
    colours.register("red", 1)
    colours.register("green", 2, aliases=("verde",))
    assert colours.names() == ("red", "green")
    assert colours.get("verde") == 2 and "verde" in colours and "blue" not in colours
    with pytest.raises(InputError) as error:
        colours.get("blue")
    assert str(error.value) == "colour='blue': use 'red' or 'green'"


def test_decorator_returns_the_function_and_the_error_class_is_the_registrys():
    tools = Registry("tool", error=EncoderError)

    @tools.register("upper")
    def upper(text):
        return text.upper()

    assert upper("go") == "GO" and tools.get("upper") is upper
    with pytest.raises(EncoderError, match=r"^tool='lower': use 'upper'$"):
        tools.get("lower")
    with pytest.raises(EncoderError, match="tool=None"):
        tools.get(None)


def test_a_prefix_entry_binds_the_rest_of_the_name():
    models = Registry("model")
    models.register("st:NAME_OR_PATH", lambda name: f"loaded {name}")
    assert models.get("st:bge-small:v2")() == "loaded bge-small:v2"
    assert models.names() == ("st:NAME_OR_PATH",)
    for bad in ("st:", "st", "other:x"):
        with pytest.raises(InputError, match=r"use 'st:NAME_OR_PATH'"):
            models.get(bad)


def test_taken_names_need_replace_and_keep_their_place():
    kinds = Registry("kind")
    kinds.register("a", 1)
    kinds.register("b", 2)
    with pytest.raises(ValueError, match="'a' is already registered"):
        kinds.register("a", 3)
    kinds.register("a", 3, replace=True)
    assert kinds.names() == ("a", "b") and kinds.get("a") == 3
    kinds.register("c", 4, aliases=("see", "sea"))
    kinds.unregister("see")
    assert "see" not in kinds and kinds.get("sea") == 4
    kinds.unregister("c")
    assert "sea" not in kinds
    kinds.unregister("a")
    kinds.unregister("nothing")
    assert kinds.names() == ("b",)
    with pytest.raises(ValueError, match="non-empty"):
        kinds.register(" c", 1)


def test_plugin_modules_are_imported_on_the_first_lookup(tmp_path, monkeypatch):
    package = tmp_path / "gokg_test_plugins"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "shape_square.py").write_text(
        "from gokg_test_plugins import SHAPES\nSHAPES.register('square', 4)\n", "utf-8"
    )
    (package / "other.py").write_text("raise RuntimeError('not a plugin: never imported')\n", "utf-8")
    (package / "__init__.py").write_text(
        "from gokg.ingest.registry import Registry\n"
        "SHAPES = Registry('shape', plugins=('gokg_test_plugins', 'shape_'))\n"
        "SHAPES.register('circle', 0)\n",
        "utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        import gokg_test_plugins

        assert "gokg_test_plugins.shape_square" not in sys.modules  # nothing is imported before a lookup
        assert gokg_test_plugins.SHAPES.names() == ("circle", "square")
        assert gokg_test_plugins.SHAPES.get("square") == 4
    finally:
        for name in [n for n in sys.modules if n.startswith("gokg_test_plugins")]:
            del sys.modules[name]
