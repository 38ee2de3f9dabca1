"""Where cached catalog answers live: a bounded in-process LRU, backed by Redis when configured.

Entries are keyed by (catalog version, URL) and never change, so there is nothing to invalidate:
a write moves the version and old entries are simply never asked for again. The LRU drops them
as soon as it sees a newer version; Redis lets them expire.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

REDIS_TTL_S = 600


_STOCK = re.compile(rb'"stock":(-?\d+)')  # a key: inside a JSON string its quotes are escaped
_IN_STOCK = re.compile(rb'"in_stock":(true|false)')


@dataclass(frozen=True, slots=True)
class StockSlot:
    """Where a product's stock (``in_stock`` False) or ``in_stock`` (True) is in a body."""

    start: int
    end: int
    product_id: int
    in_stock: bool


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """A body, its strong ETag, and where the stock of the products it shows is written in it.

    Orders change stock without moving the catalog version, so stock is never served from
    here as cached: ``with_stock`` writes each product's committed stock (and ``in_stock``)
    over the cached values before the body goes out.
    """

    body: bytes
    etag: str
    slots: tuple[StockSlot, ...] = ()

    @property
    def product_ids(self) -> frozenset[int]:
        return frozenset(slot.product_id for slot in self.slots)

    @classmethod
    def of(cls, body: bytes, etag: str) -> CachedAnswer | None:
        """The answer with its stock located, or None when the stock in it cannot be located
        for certain (then it must not be cached)."""
        if b'"stock":' not in body:
            return cls(body, etag)
        try:
            data = json.loads(body)
        except ValueError:
            return None
        items = data.get("results") if isinstance(data, dict) else None
        shown = items if isinstance(items, list) else [data]
        stocks, flags = list(_STOCK.finditer(body)), list(_IN_STOCK.finditer(body))
        if not (len(stocks) == len(flags) == len(shown)):
            return None
        slots = []
        for product, stock, flag in zip(shown, stocks, flags, strict=True):
            if not isinstance(product, dict) or not isinstance(product.get("id"), int):
                return None
            if int(stock[1]) != product.get("stock") or (flag[1] == b"true") != product.get(
                "in_stock"
            ):
                return None
            slots.append(StockSlot(stock.start(1), stock.end(1), product["id"], False))
            slots.append(StockSlot(flag.start(1), flag.end(1), product["id"], True))
        return cls(body, etag, tuple(sorted(slots, key=lambda slot: slot.start)))

    def with_stock(self, levels: dict[int, int]) -> CachedAnswer | None:
        """This answer showing the stock of ``levels``, or None when a product of it is gone."""
        if not self.slots:
            return self
        parts, position, changed = [], 0, False
        for slot in self.slots:
            level = levels.get(slot.product_id)
            if level is None:
                return None
            value = (b"true" if level > 0 else b"false") if slot.in_stock else str(level).encode()
            changed = changed or value != self.body[slot.start : slot.end]
            parts += (self.body[position : slot.start], value)
            position = slot.end
        if not changed:
            return self
        parts.append(self.body[position:])
        body = b"".join(parts)
        return CachedAnswer(body, strong_etag(body))

    def encode(self) -> bytes:
        return self.etag.encode() + b"\n" + self.body

    @classmethod
    def decode(cls, raw: bytes) -> CachedAnswer | None:
        etag, _, body = raw.partition(b"\n")
        return cls.of(body, etag.decode())


def strong_etag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class LocalCache:
    """Answers of one catalog version at a time, at most ``max_bytes`` of bodies, LRU."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size, self.version = max_bytes, 0, -1
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: int, url: str) -> CachedAnswer | None:
        with self._lock:
            if version != self.version:
                return None
            entry = self._entries.get(url)
            if entry is not None:
                self._entries.move_to_end(url)
            return entry

    def put(self, version: int, url: str, answer: CachedAnswer) -> None:
        cost = len(answer.body) + len(url)
        with self._lock:
            if version < self.version or cost > self.max_bytes:
                return  # an answer of an older version: nobody will ask for it
            if version > self.version:
                self._entries.clear()
                self.size, self.version = 0, version
            old = self._entries.pop(url, None)
            if old is not None:
                self.size -= len(old.body) + len(url)
            self._entries[url] = answer
            self.size += cost
            while self.size > self.max_bytes:
                dropped_url, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.body) + len(dropped_url)

    def __len__(self) -> int:
        return len(self._entries)


class RedisCache:
    """The same answers shared by every worker and server; a Redis failure is a cache miss."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client, self.prefix = client, prefix

    def _key(self, version: int, url: str) -> str:
        return f"{self.prefix}:{version}:{url}"

    def get(self, version: int, url: str) -> CachedAnswer | None:
        try:
            raw = self.client.get(self._key(version, url))
        except Exception as error:  # noqa: BLE001 - any Redis failure: answer from the database
            log.warning("catalog cache: redis get failed: %s", error)
            return None
        return None if raw is None else CachedAnswer.decode(raw)  # slots found again

    def put(self, version: int, url: str, answer: CachedAnswer) -> None:
        try:
            self.client.set(self._key(version, url), answer.encode(), ex=REDIS_TTL_S)
        except Exception as error:  # noqa: BLE001
            log.warning("catalog cache: redis set failed: %s", error)


class TieredCache:
    """The LRU first, then Redis (when there is one); what Redis had is kept in the LRU too."""

    def __init__(self, local: LocalCache, shared: RedisCache | None) -> None:
        self.local, self.shared = local, shared

    def get(self, version: int, url: str) -> CachedAnswer | None:
        answer = self.local.get(version, url)
        if answer is None and self.shared is not None:
            answer = self.shared.get(version, url)
            if answer is not None:
                self.local.put(version, url, answer)
        return answer

    def put(self, version: int, url: str, answer: CachedAnswer) -> None:
        self.local.put(version, url, answer)
        if self.shared is not None:
            self.shared.put(version, url, answer)
