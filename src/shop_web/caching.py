"""Public catalog reads: cached answers for anonymous callers, a strong ETag for everyone.

The answers of ``GET`` (and ``HEAD``) on the category list and details, the product list (any
query), product details and a product's reviews depend only on catalog data and on the URL.
For a caller without ``Authorization`` the answer is kept under (catalog version, full URL),
in this process (a bounded LRU) and in Redis when ``SHOP_REDIS_URL`` is set. The version is read
from the database on every such request (one primary-key SELECT) and is bumped in the same
transaction as every catalog write (shopcore.adapters.sqlalchemy.catalog_version), so the first
read after a write, on any worker of any server, misses and sees the write.

The one write that does not bump it is an order's stock change that leaves the product in stock
(or a cancellation's, on a product still in stock): a shop is read while people buy, and such a
change must not empty the cache of every answer. Instead a cached answer that shows products
has their committed stock and ``in_stock`` laid over it when served (one primary-key SELECT of
the products it shows; cache_store.CachedAnswer), so stock is never stale either.

A caller with a token never reads or fills the cache: a vendor sees its inactive products, an
anonymous caller must not. Every catalog answer, cached or not, carries a strong ETag of its
exact body, and a matching ``If-None-Match`` gets 304 with no body.

Every answer also says what caches outside the app (a CDN, a browser) may do with it, in
``Cache-Control`` (see ``cache_control``): an anonymous catalog read may be kept by a shared
cache for a few seconds and is then revalidated with its ETag, so a stock change shows within
``SHARED_MAX_AGE`` seconds, at the price of a 304 per revalidation; what a caller with a token
reads is private to that caller; and the rest (tokens, writes, errors, the health check) must
not be stored at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request

from shop_web import redis_state
from shop_web.api.base import CATALOG_READ, use_cases
from shop_web.cache_store import CachedAnswer, LocalCache, RedisCache, TieredCache, strong_etag

EXTENSION = "shop_catalog_cache"
CACHE_STATUS = "X-Cache"  # "hit" or "miss" on an anonymous catalog read the cache was asked

# How long a shared cache may serve an anonymous catalog read before revalidating it: short,
# because stock and prices change with every order, and a revalidation costs the app one
# version read and a bodiless 304. Browsers (max-age=0) revalidate every time.
SHARED_MAX_AGE = 30
SHARED = f"public, max-age=0, s-maxage={SHARED_MAX_AGE}, must-revalidate"
PRIVATE = "private, no-cache"  # the caller's own browser may keep it, revalidating first
NO_STORE = "no-store"
CACHE_CONTROL_DOC = (
    f"`{SHARED}` on anonymous catalog reads (200 and 304): a shared cache may serve them for "
    f"{SHARED_MAX_AGE} seconds, then revalidates them with the ETag. `{PRIVATE}` on other "
    f"reads answered 200 to a caller that sent `Authorization`. `{NO_STORE}` on everything "
    "else: tokens, writes, errors and the health check."
)


def init_app(app: Flask) -> None:
    """Register after the rate limiter, so that cached answers are counted like the others, and
    after ``redis_state``, whose client the shared cache uses."""
    app.extensions[EXTENSION] = _make_cache(app) if app.config.get("CATALOG_CACHE", True) else None
    app.before_request(_answer_from_cache)
    app.after_request(_finish)


def _make_cache(app: Flask) -> TieredCache:
    local = LocalCache(int(app.config.get("CATALOG_CACHE_MB", 6)) * 1024 * 1024)
    client = app.extensions[redis_state.EXTENSION].client  # the app's one Redis client
    if client is None:
        return TieredCache(local, None)
    database = hashlib.blake2b(str(app.config["DATABASE_URL"]).encode(), digest_size=6)
    prefix = f"shop:catalog:{database.hexdigest()}:{code_fingerprint()}"
    return TieredCache(local, RedisCache(client, prefix))


def code_fingerprint() -> str:
    """A digest of the code that renders answers: Redis outlives a deploy, and answers cached
    by older code (another format) must not be served by newer code."""
    digest = hashlib.blake2b(digest_size=8)
    for package in ("shop_web", "shopcore"):
        root = Path(__import__(package).__file__).parent  # type: ignore[arg-type]
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def _is_catalog_read() -> bool:
    """Whether the request is a GET or HEAD served by a view marked ``Blueprint.catalog_read``."""
    if request.method not in ("GET", "HEAD") or request.url_rule is None:
        return False
    view = current_app.view_functions.get(request.url_rule.endpoint)
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, "get", None) if view_class is not None else view
    return bool(getattr(handler, CATALOG_READ, False))


def cache_key(environ: dict[str, Any]) -> str:
    """What an answer depends on besides the catalog: scheme, host, path and query as sent
    (answers hold absolute links built from them). Raw WSGI values: cheaper than request.url,
    and two spellings of one URL only cost a second entry."""
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return f"{environ['wsgi.url_scheme']}://{host}{path}?{environ.get('QUERY_STRING', '')}"


def _answer_from_cache() -> Response | None:
    if not _is_catalog_read():
        return None
    g.catalog_read = True
    cache: TieredCache | None = current_app.extensions[EXTENSION]
    if cache is None or "HTTP_AUTHORIZATION" in request.environ:
        return None
    version = use_cases().catalog_version()
    if version is None:
        return None
    g.catalog_key = key = cache_key(request.environ)
    answer = cache.get(version, key)
    if answer is not None and answer.slots:  # orders move stock, not the version: lay it over
        levels = use_cases().stock_levels(answer.product_ids)
        if levels is None:
            return None
        answer = answer.with_stock(levels)
    if answer is None:
        g.catalog_version = version  # fill the cache with this answer, under this version
        return None
    g.catalog_etag = answer.etag
    headers = {"ETag": f'"{answer.etag}"', CACHE_STATUS: "hit"}
    return Response(answer.body, mimetype="application/json", headers=headers)


def _finish(response: Response) -> Response:
    if g.get("catalog_read") and response.status_code == 200:
        _tag_and_keep(response)
    if "Cache-Control" not in response.headers:  # media and Swagger UI files set their own
        response.headers["Cache-Control"] = cache_control(response.status_code)
    return response


def cache_control(status: int) -> str:
    """What a cache outside the app may do with this request's answer of ``status``.

    Only the request's ``Authorization`` header counts, not whether its token was valid:
    that is what a cache in front of the app sees, and what it must not share.
    """
    if status not in (200, 304) or request.method not in ("GET", "HEAD"):
        return NO_STORE
    if "HTTP_AUTHORIZATION" in request.environ:
        return PRIVATE
    return SHARED if g.get("catalog_read") else NO_STORE


def _tag_and_keep(response: Response) -> None:
    etag = g.get("catalog_etag") or _tag(response)
    response.headers.add("Vary", "Authorization")  # a vendor sees its inactive products
    if "HTTP_IF_NONE_MATCH" in request.environ and request.if_none_match.contains_weak(etag):
        response.status_code = 304
        response.set_data(b"")


def _tag(response: Response) -> str:
    """The answer's strong ETag (made here unless the view made a strong one); a fresh answer
    for an anonymous caller is kept in the cache under the version read before it was made."""
    etag, weak = response.get_etag()
    if etag is None or weak:
        etag = strong_etag(response.get_data())
        response.set_etag(etag)
    if "catalog_version" in g and response.mimetype == "application/json":
        response.headers[CACHE_STATUS] = "miss"
        answer = CachedAnswer.of(response.get_data(), etag)
        if answer is not None:  # else its stock could not be located: not kept
            current_app.extensions[EXTENSION].put(g.catalog_version, g.catalog_key, answer)
    return etag
