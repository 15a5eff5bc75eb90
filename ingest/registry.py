"""Name -> implementation registries, so a new reader, encoder, search signal or reranker is one module.

A module registers what it defines when it is imported (``@register_reader(".pdf")``). A registry made
with ``plugins=(package, prefix)`` imports every module of ``package`` whose name starts with ``prefix``
on its first lookup, so ``ingest/reader_pdf.py`` or ``graph/signal_recency.py`` needs no other edit.
Such a module should import heavy dependencies inside the function it registers: every lookup
imports it.

>>> colours = Registry("colour")
>>> _ = colours.register("red", "#f00")
>>> _ = colours.register("rgb:HEX", lambda hex: "#" + hex)
>>> colours.get("red"), colours.get("rgb:0f0")()
('#f00', '#0f0')
>>> colours.names()
('red', 'rgb:HEX')
>>> colours.get("blue")
Traceback (most recent call last):
...
gokg.errors.InputError: colour='blue': use 'red' or 'rgb:HEX'
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from gokg.errors import InputError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Implementations by name, in registration order.

    A name ``prefix:PLACEHOLDER`` (e.g. ``sentence-transformers:NAME_OR_PATH``) matches every
    ``prefix:something``; :meth:`get` then returns the registered callable with ``something`` bound as
    its first argument. ``aliases`` are accepted by :meth:`get` but not listed by :meth:`names`.
    """

    def __init__(self, kind: str, *, error: type[Exception] = InputError, plugins: tuple[str, str] | None = None):
        self.kind = kind
        self._error = error
        self._plugins = plugins
        self._items: dict[str, T] = {}  # shown name -> implementation
        self._aliases: dict[str, str] = {}  # alias -> shown name
        self._lock = threading.RLock()
        self._loaded = plugins is None
        self._loading = False

    def register(
        self, name: str, obj: T | None = None, *, aliases: tuple[str, ...] = (), replace: bool = False
    ) -> T | Callable[[T], T]:
        """Register ``obj`` under ``name``; without ``obj``, a decorator that does so.

        Registering a taken name raises ``ValueError`` unless ``replace=True``.
        """
        if obj is None:

            def decorator(item: T) -> T:
                return self.register(name, item, aliases=aliases, replace=replace)  # type: ignore[return-value]

            return decorator
        keys = (name, *aliases)
        for key in keys:
            if not isinstance(key, str) or not key or key != key.strip() or key.endswith(":"):
                raise ValueError(f"{self.kind} name {key!r}: use a non-empty name without surrounding spaces, "
                                 "or 'prefix:PLACEHOLDER' for a family of names")
        with self._lock:
            taken = [key for key in keys if key in self._items or key in self._aliases]
            if taken and not replace:
                raise ValueError(f"{self.kind} {taken[0]!r} is already registered; pass replace=True to replace it")
            for key in taken:
                self._aliases.pop(key, None)
                if key != name:
                    self._items.pop(key, None)
            self._items[name] = obj  # a replaced name keeps its place in the order
            self._aliases.update({alias: name for alias in aliases})
        return obj

    def unregister(self, name: str) -> None:
        """Remove ``name`` with its aliases, or just the alias ``name`` (a no-op for an unknown name)."""
        with self._lock:
            if name in self._aliases:
                del self._aliases[name]
            elif name in self._items:
                del self._items[name]
                self._aliases = {alias: shown for alias, shown in self._aliases.items() if shown != name}

    def get(self, name: str) -> T:
        """The implementation registered as ``name``; the registry's error, naming the choices, otherwise."""
        self._load_plugins()
        if isinstance(name, str):
            name = self._aliases.get(name, name)
            if ":" not in name and name in self._items:
                return self._items[name]
            prefix, _, rest = name.partition(":")
            if rest:
                for shown, obj in self._items.items():
                    if shown.partition(":")[0] == prefix and ":" in shown:
                        return functools.partial(obj, rest)  # type: ignore[arg-type, return-value]
        raise self._error(f"{self.kind}={name!r}: use {self.choices()}")

    def names(self) -> tuple[str, ...]:
        """The registered names (not the aliases), in registration order."""
        self._load_plugins()
        return tuple(self._items)

    def choices(self) -> str:
        """The names for a message: ``'a', 'b' or 'c'``."""
        shown = [repr(name) for name in self.names()]
        if not shown:
            return "(nothing is registered)"
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]

    def __contains__(self, name: object) -> bool:
        try:
            self.get(name)  # type: ignore[arg-type]
        except self._error:
            return False
        return True

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, names={list(self._items)})"

    def _load_plugins(self) -> None:
        """Import the plugin modules once; a plugin that looks a name up while importing sees the rest."""
        if self._loaded:
            return
        with self._lock:
            if self._loaded or self._loading:
                return
            self._loading = True
            try:
                package, prefix = self._plugins  # type: ignore[misc]
                path = importlib.import_module(package).__path__
                for info in sorted(pkgutil.iter_modules(path), key=lambda info: info.name):
                    if info.name.startswith(prefix) and not info.ispkg:
                        importlib.import_module(f"{package}.{info.name}")
                self._loaded = True  # a plugin that fails to import fails every lookup, not just the first
            finally:
                self._loading = False
