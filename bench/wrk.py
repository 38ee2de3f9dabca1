"""Run wrk with our Lua scripts and read the JSON line their ``done`` hook prints."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).parent / "lua"


@dataclass(frozen=True)
class Load:
    connections: int
    threads: int
    duration: int
    warmup: int


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    socket_errors: int
    cache_hits: int = 0
    cache_misses: int = 0

    @property
    def hit_ratio(self) -> float | None:
        """Of the answers with an ``X-Cache`` header, the share that came from the cache."""
        asked = self.cache_hits + self.cache_misses
        return self.cache_hits / asked if asked else None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def count(self, low: int, high: int) -> int:
        return sum(n for code, n in self.statuses.items() if low <= code <= high)

    @property
    def non_2xx(self) -> int:
        return sum(self.statuses.values()) - self.count(200, 299)

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def run(url: str, load: Load, *, requests_file: Path | None = None) -> WrkResult:
    """A warm-up of ``load.warmup`` seconds (discarded), then the measured run."""
    if load.warmup > 0:
        _wrk(url, load, load.warmup, requests_file)
    return _wrk(url, load, load.duration, requests_file)


def _wrk(url: str, load: Load, seconds: int, requests_file: Path | None) -> WrkResult:
    script = LUA / ("rotate.lua" if requests_file else "report.lua")
    argv = ["wrk", "-t", str(min(load.threads, load.connections)), "-c", str(load.connections),
            "-d", f"{seconds}s", "--timeout", "5s", "-s", str(script), url]  # fmt: skip
    if requests_file:
        argv += ["--", str(requests_file)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return _parse(json.loads(line.removeprefix("BENCH_JSON ")))
    raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")


def _parse(data: dict[str, object]) -> WrkResult:
    def num(key: str) -> float:
        return float(data[key])  # type: ignore[arg-type]

    socket_errors = sum(int(num(k)) for k in ("connect_errors", "read_errors", "write_errors",
                                              "timeouts"))  # fmt: skip
    statuses = {int(code): int(n) for code, n in data["statuses"].items()}  # type: ignore[attr-defined]
    return WrkResult(
        requests=int(num("requests")),
        seconds=num("duration_us") / 1e6,
        p50_ms=num("p50_us") / 1000,
        p99_ms=num("p99_us") / 1000,
        statuses=statuses,
        socket_errors=socket_errors,
        cache_hits=int(data.get("cache_hits", 0)),  # type: ignore[call-overload]
        cache_misses=int(data.get("cache_misses", 0)),  # type: ignore[call-overload]
    )
