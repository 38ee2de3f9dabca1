"""gunicorn's sync and gthread workers, answering in the contract even below the app.

gunicorn refuses some requests before the app sees them (a request line over
``limit_request_line``, headers over ``limit_request_field_size``, a bare CR in a header, ...)
and answers those itself, as HTML. These workers answer them as the app answers every error:
``{code, status, message}`` in JSON, with the security headers and a request id. They also
drop the ``Server`` header gunicorn puts on every answer, which only advertises the software.
"""

from __future__ import annotations

import json
import ssl
import uuid
from typing import Any

from gunicorn import util
from gunicorn.http import errors as http
from gunicorn.http import wsgi
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker
from werkzeug.http import HTTP_STATUS_CODES

from shop_web.observability import _STATIC_HEADERS, JSON_CSP, REQUEST_ID_HEADER

SYNC = "shop_web.http_workers.ShopSyncWorker"
THREADED = "shop_web.http_workers.ShopThreadWorker"

# Refusals that are not a plain 400, most specific first; the rest of gunicorn's ParseException
# family (a malformed request line, method, version, header or chunk) is a 400.
_REFUSALS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], int, str], ...] = (
    ((http.InvalidResponseHeader, http.InvalidResponseHeaderName), 500,
     "The server could not complete the request."),
    (http.LimitRequestLine, 414, "The request line (method, path and query) is too long."),
    (http.LimitRequestHeaders, 431, "The request headers are too large or too many."),
    (http.UnsupportedTransferCoding, 501, "That Transfer-Encoding is not supported."),
    (http.ExpectationFailed, 417, "Only 'Expect: 100-continue' is supported."),
    ((http.ForbiddenProxyRequest, ssl.SSLError), 403, "The request is forbidden."),
    (http.ConfigurationProblem, 500, "The server could not complete the request."),
    (http.ParseException, 400, "The request is not valid HTTP/1.1."),
)  # fmt: skip
_UNEXPECTED = (500, "The server could not complete the request.")


def refusal_for(error: BaseException) -> tuple[int, str]:
    """The status and message for what gunicorn could not serve; never echoes the request."""
    for kinds, status, message in _REFUSALS:
        if isinstance(error, kinds):
            return status, message
    return _UNEXPECTED


def error_answer(status: int, message: str, request_id: str) -> bytes:
    """A complete HTTP/1.1 answer that closes the connection, in the contract's error shape."""
    reason = HTTP_STATUS_CODES.get(status, "Error")
    body = json.dumps({"code": status, "status": reason, "message": message}).encode()
    headers = {
        "Connection": "close",
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        REQUEST_ID_HEADER: request_id,
        "Content-Security-Policy": JSON_CSP,
        **_STATIC_HEADERS,
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"HTTP/1.1 {status} {reason}\r\n{head}\r\n".encode("latin-1") + body


class AnonymousResponse(wsgi.Response):  # type: ignore[misc]
    """gunicorn's response without its ``Server`` line (gunicorn has no setting for it)."""

    def default_headers(self) -> list[str]:
        return [line for line in super().default_headers() if not line.startswith("Server:")]


class ContractAnswers:
    """The part both workers share: installed in the worker process, before it serves."""

    log: Any

    def init_process(self) -> None:
        # gunicorn's workers build every response through ``wsgi.create``, which takes the
        # module's ``Response`` unless told otherwise; this worker process serves only us.
        wsgi.Response = AnonymousResponse
        super().init_process()  # type: ignore[misc]  # serves until the worker stops

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        status, message = refusal_for(exc)
        request_id = uuid.uuid4().hex
        ip = (addr or ("",))[0]  # a unix socket has no address
        if status >= 500:
            self.log.exception("Error handling request (request_id=%s)", request_id)
        else:  # the class name only: the message of some would echo the header or line
            self.log.warning(
                "Invalid request from ip=%s: %s, answered %d (request_id=%s)",
                ip, type(exc).__name__, status, request_id,
            )  # fmt: skip
        try:
            util.write_nonblock(client, error_answer(status, message, request_id))
        except Exception:  # the client may be gone already
            self.log.debug("Failed to send error message.")


class ShopSyncWorker(ContractAnswers, SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker (one request at a time), answering in the contract."""


class ShopThreadWorker(ContractAnswers, ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker (``--threads``), answering in the contract."""
