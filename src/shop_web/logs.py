"""JSON log lines, with nothing secret in them.

Every string of every line passes through ``scrub``: bearer tokens, JWTs, password-, secret- and
token-like fields and card-like digit runs become ``[redacted]``.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import g, has_request_context

_SECRETS = (
    (re.compile(r"(?i)\bbearer\s+[^\s\"',;]+"), "Bearer [redacted]"),
    (re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*"), "[redacted]"),
    (
        re.compile(
            r"(?i)(\"?\b\w*(?:password|secret|token)\w*\"?\s*[:=]\s*)(\"[^\"]*\"|[^\s,;&]+)"
        ),
        r"\1[redacted]",
    ),
    # Card-like runs of 13 or more digits, maybe split by spaces or dashes; not the date inside an
    # order number such as ORD-20261124-23456789.
    (re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,}(?!\d)"), "[redacted]"),
)


# Matches wherever any pattern above could (it drops their word boundaries and look-arounds):
# one search that fails on an ordinary value instead of four substitutions (issue 7).
_MAYBE_SECRET = re.compile(r"(?i)bearer|eyJ|password|secret|token|\d(?:[ -]?\d){12}")


def scrub(text: str) -> str:
    """``text`` with tokens, password-like values and card-like numbers replaced."""
    if not _MAYBE_SECRET.search(text):
        return text
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value if _is_plain(key, value) else scrub(str(value))
        if "request_id" not in entry and has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


def _is_plain(key: str, value: Any) -> bool:
    # A request id was checked on the way in (observability.request_id_from); scrubbing one
    # of our random ids that happens to start with 13 digits would break the correlation.
    return key == "request_id" or value is None or isinstance(value, bool | int | float)


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping: every logger as JSON lines on stderr.

    gunicorn's own access log is switched off: it would log query strings, and our request
    line already says everything it would.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }
