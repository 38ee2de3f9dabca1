"""The catalog cache's stores: a byte-bounded LRU per version, and Redis behind it."""

from __future__ import annotations

from typing import Any

from shop_web.cache_store import CachedAnswer, LocalCache, RedisCache, TieredCache


def answer(size: int = 10, tag: str = "t") -> CachedAnswer:
    return CachedAnswer(b"x" * size, tag)


def test_an_answer_is_found_under_its_version_and_url_only() -> None:
    cache = LocalCache(1_000)
    cache.put(1, "/a", answer(tag="a"))

    assert cache.get(1, "/a") == answer(tag="a")
    assert cache.get(1, "/b") is None
    assert cache.get(2, "/a") is None


def test_a_newer_version_drops_every_older_answer() -> None:
    cache = LocalCache(1_000)
    cache.put(1, "/a", answer())
    cache.put(2, "/b", answer())

    assert cache.get(1, "/a") is None
    assert len(cache) == 1 and cache.size == 12


def test_an_answer_of_an_older_version_is_not_kept() -> None:
    cache = LocalCache(1_000)
    cache.put(2, "/a", answer(tag="new"))
    cache.put(1, "/a", answer(tag="old"))

    assert cache.get(2, "/a") == answer(tag="new")
    assert len(cache) == 1


def test_the_least_recently_used_answers_go_when_the_bytes_run_out() -> None:
    cache = LocalCache(3 * 12)  # three answers of 10 bytes with a 2-byte url
    for url in ("/a", "/b", "/c"):
        cache.put(1, url, answer())
    cache.get(1, "/a")  # /b is now the least recently used
    cache.put(1, "/d", answer())

    assert [url for url in ("/a", "/b", "/c", "/d") if cache.get(1, url)] == ["/a", "/c", "/d"]
    assert cache.size <= 36


def test_replacing_an_answer_counts_its_bytes_once() -> None:
    cache = LocalCache(1_000)
    cache.put(1, "/a", answer(10))
    cache.put(1, "/a", answer(20))

    assert cache.size == 22 and len(cache) == 1


def test_an_answer_larger_than_the_whole_cache_is_not_kept() -> None:
    cache = LocalCache(5)
    cache.put(1, "/a", answer(10))

    assert cache.get(1, "/a") is None and cache.size == 0


def test_an_answer_survives_its_round_trip_through_bytes() -> None:
    original = CachedAnswer(b'{"a":\n1}', "abc")

    assert CachedAnswer.decode(original.encode()) == original


class FakeRedis:
    def __init__(self, *, broken: bool = False) -> None:
        self.data: dict[str, bytes] = {}
        self.broken = broken
        self.expiry: dict[str, int] = {}

    def get(self, key: str) -> bytes | None:
        if self.broken:
            raise ConnectionError("redis is down")
        return self.data.get(key)

    def set(self, key: str, value: bytes, ex: int) -> Any:
        if self.broken:
            raise ConnectionError("redis is down")
        self.data[key], self.expiry[key] = value, ex


def test_an_answer_from_redis_is_kept_in_the_local_cache_too() -> None:
    shared = RedisCache(FakeRedis(), "p")
    shared.put(7, "/a", answer(tag="a"))
    cache = TieredCache(LocalCache(1_000), shared)

    assert cache.get(7, "/a") == answer(tag="a")
    assert cache.local.get(7, "/a") == answer(tag="a")


def test_a_put_goes_to_both_stores_with_an_expiry_in_redis() -> None:
    client = FakeRedis()
    cache = TieredCache(LocalCache(1_000), RedisCache(client, "p"))
    cache.put(7, "/a", answer())

    assert cache.local.get(7, "/a") == answer()
    assert list(client.data) == ["p:7:/a"] and client.expiry["p:7:/a"] > 0


def test_a_redis_failure_is_a_miss_not_an_error(caplog: Any) -> None:
    cache = TieredCache(LocalCache(1_000), RedisCache(FakeRedis(broken=True), "p"))
    cache.put(7, "/a", answer())  # kept locally, the Redis error only logged

    assert cache.get(7, "/a") == answer()
    assert cache.get(7, "/b") is None
    assert "redis" in caplog.text
