"""Scenario 7: catalog reads while orders flow at a fixed rate (issue 11).

The product list (scenario 1) and the product details (scenario 3) are each measured twice,
back to back in the same minutes of a shared machine: read-only, then while a pacer posts
orders at ``rate`` per second. The row gives the mixed read throughput as a share of the
read-only one, and the catalog cache's hit ratio of each run, counted by wrk from the
``X-Cache`` header of the answers (``hit`` or ``miss``; none on a read the cache was not asked).
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import wrk

SENDERS = 32  # order requests in flight at most: slow answers under load must not lower the rate


@dataclass
class OrderFlow:
    """What the pacer did: orders sent, answered 201, and the rate they were sent at."""

    sent: int = 0
    created: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


@dataclass
class MixedRun:
    label: str
    read_only: wrk.WrkResult
    mixed: wrk.WrkResult
    orders: OrderFlow

    @property
    def kept(self) -> float:
        return self.mixed.rps / self.read_only.rps if self.read_only.rps else 0.0

    def line(self) -> str:
        def hits(r: wrk.WrkResult) -> str:
            return f"{r.hit_ratio:.0%}" if r.hit_ratio is not None else "n/a"

        return (
            f"mixed, {self.label}: {self.read_only.rps:,.0f} req/s read-only (hits "
            f"{hits(self.read_only)}), {self.mixed.rps:,.0f} req/s with orders at "
            f"{self.orders.rate:.1f}/s ({self.orders.created} of {self.orders.sent} created; "
            f"hits {hits(self.mixed)}): {self.kept:.0%} of read-only"
        )


class Pacer:
    """Posts the order request lines of ``lines`` at ``rate`` per second until stopped."""

    def __init__(self, base_url: str, lines: list[str], rate: float) -> None:
        self.base_url, self.lines, self.rate = base_url, lines, rate
        self.flow = OrderFlow()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Pacer:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(timeout=60)

    def _run(self) -> None:
        started = time.monotonic()
        with ThreadPoolExecutor(SENDERS) as pool:
            for number in range(10**9):
                due = started + number / self.rate
                if self._stop.wait(max(0.0, due - time.monotonic())):
                    break
                pool.submit(self._send, self.lines[number % len(self.lines)])
                self.flow.sent += 1
        self.flow.seconds = time.monotonic() - started

    def _send(self, line: str) -> None:
        method, path, auth, body = line.split("\t")
        request = urllib.request.Request(
            self.base_url + path, data=body.encode(), method=method,
            headers={"Authorization": auth, "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                created = response.status == 201
        except (urllib.error.URLError, OSError):
            created = False
        if created:
            with self._lock:
                self.flow.created += 1


def measure(
    base_url: str,
    load: wrk.Load,
    label: str,
    path: str,
    requests_file: Path | None,
    order_lines: list[str],
    rate: float,
) -> MixedRun:
    """One read-only run, then the same with orders flowing (each after its own warm-up)."""
    url = base_url + (path if requests_file is None else "/")
    read_only = wrk.run(url, load, requests_file=requests_file)
    with Pacer(base_url, order_lines, rate) as pacer:
        mixed = wrk.run(url, load, requests_file=requests_file)
    return MixedRun(label, read_only, mixed, pacer.flow)
