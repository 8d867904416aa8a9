"""What a fact-checker can do, as plain functions over a :class:`Database`.

Every function opens its own unit of work, validates its input (raising
:class:`tracker.errors.ValidationError` and writing nothing when it is bad),
records an audit entry for each change in the same transaction, and returns
frozen dataclasses from :mod:`tracker.services.records`. Nothing here imports
a UI toolkit.

The functions and records (listed in :mod:`tracker.services.api`) are
imported when first used, not with the package: the terminal UI imports
this package's records and filters to draw its first list before
SQLAlchemy is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.services.api import *  # noqa: F403
else:

    def __getattr__(name: str) -> Any:
        # Only for the names of tracker.services.api (the first one asked for
        # imports them all); a submodule is imported by its own name.
        api = importlib.import_module("tracker.services.api")
        if name not in api.__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals().update((n, getattr(api, n)) for n in api.__all__)
        return getattr(api, name)

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(importlib.import_module("tracker.services.api").__all__))
