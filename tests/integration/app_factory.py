"""The ``make_app`` fixture now lives in conftest.py (so no import is needed); this module
re-exports it for test modules that import it from here."""

from __future__ import annotations

from tests.integration.conftest import AppFactory, make_app

__all__ = ["AppFactory", "make_app"]
