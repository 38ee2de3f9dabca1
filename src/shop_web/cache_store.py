"""Where cached catalog answers live: a bounded in-process LRU, backed by Redis when configured.

Entries are keyed by (catalog version, URL) and never change, so there is nothing to invalidate:
a write moves the version and old entries are simply never asked for again. The LRU drops them
as soon as it sees a newer version; Redis lets them expire.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

REDIS_TTL_S = 600


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    body: bytes
    etag: str

    def encode(self) -> bytes:
        return self.etag.encode() + b"\n" + self.body

    @classmethod
    def decode(cls, raw: bytes) -> CachedAnswer:
        etag, _, body = raw.partition(b"\n")
        return cls(body, etag.decode())


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
        return None if raw is None else CachedAnswer.decode(raw)

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
