"""One benchmark run: fresh database, seed, shop server, scenarios, floor, SQL counts."""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any

from bench import database, inprocess, report, scenarios, seed, stock, wrk
from bench.servers import Server

SHOP = str(Path(sys.executable).parent / "shop")
FALLBACK_BODY = 8_192
SQL_NOTE = (
    "SQL/req: statements one request sends, counted in-process after the run (BEGIN counted on "
    "SQLite; the catalog-version SELECT counted); `a / b`: the first request / the same request "
    "again, answered from the catalog cache"
)


class BenchSession:
    def __init__(self, args: argparse.Namespace, size: int, workdir: Path) -> None:
        self.args, self.size, self.workdir = args, size, workdir
        self.secret = secrets.token_urlsafe(48)
        self.load = wrk.Load(args.connections, args.threads, args.duration, args.warmup)
        self.db: database.BenchDatabase | None = None
        self.servers: list[Server] = []

    def run(self) -> report.Report:
        started = time.monotonic()
        self.db = database.create(self.args.database_url, self.workdir)
        self.seeded = seeded = seed.seed(self.db.engine(), self.size, self.args.customers)
        seed_seconds = time.monotonic() - started
        app = inprocess.make_app(self.db.url, self.secret, str(self.workdir / "media"))
        tokens = inprocess.issue_tokens(app, seeded.customer_ids)
        plan = scenarios.build(seeded, tokens, self.workdir)
        out = report.Report(self._heading(), self._settings(seed_seconds))
        floor_bytes = self._run_shop(app, plan, out)
        if 6 in self.args.scenarios:
            out.rows.append(_failing_softly(6, "floor", lambda: self._run_floor(floor_bytes)))
        for row, scenario in zip(out.rows, plan, strict=False):
            if scenario.count_sql and row.result is not None:
                row.sql = str(inprocess.count_statements(app, scenario.probe))
        out.notes.append(SQL_NOTE)
        return out

    # --- the shop server -------------------------------------------------------------------

    def _run_shop(self, app: Any, plan: list[scenarios.Scenario], out: report.Report) -> int:
        server = self._server("shop", [SHOP, "serve", *self.args.serve_args])
        server.start("/api/health/")
        size = _body_size(server.base_url + plan[0].probe.path)
        engine, slugs = self.db.engine(), self.seeded.order_slugs  # type: ignore[union-attr]
        before = stock.total_stock(engine, slugs)
        for s in plan:
            out.rows.append(_failing_softly(s.number, s.title, partial(self._row, app, server, s)))
        peaks = server.peak_rss_mib()
        server.stop()
        out.notes += stock.notes(engine, slugs, before, out.row(4))
        out.notes.append(_rss_note("shop", peaks))
        out.notes.append(
            f"scenario 1 answer: {size:,} bytes; the floor answers as many"
            if size
            else f"scenario 1 unavailable: the floor answers {FALLBACK_BODY:,} bytes"
        )
        return size or FALLBACK_BODY

    def _row(self, app: Any, server: Server, scenario: scenarios.Scenario) -> report.Row:
        row = report.Row(scenario.number, scenario.title, vs_floor=scenario.vs_floor)
        probe = scenario.probe
        if scenario.number not in self.args.scenarios:
            row.skipped = "not selected"
        elif not inprocess.has_route(app, probe.method, probe.path):
            row.skipped = f"skipped: {probe.path.split('?')[0]} not available"
        else:
            url = server.base_url + (probe.path if scenario.requests_file is None else "/")
            row.result = wrk.run(url, self.load, requests_file=scenario.requests_file)
        return row

    # --- the floor ---------------------------------------------------------------------------

    def _run_floor(self, size: int) -> report.Row:
        argv = [sys.executable, "-m", "bench.floor", *self.args.serve_args]
        server = self._server("floor", argv, BENCH_FLOOR_BYTES=str(size))
        row = report.Row(6, f"floor: minimal Flask app, fixed {size:,}-byte JSON body")
        server.start("/api/health/")
        if len(_get(server.base_url + "/")) != size:
            raise RuntimeError("the floor server does not answer the floor app's body")
        row.result = wrk.run(server.base_url + "/api/products/", self.load)
        server.stop()
        return row

    def _server(self, name: str, argv: list[str], **extra: str) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")}
        env.update(
            SHOP_DATABASE_URL=self.db.url,  # type: ignore[union-attr]
            SHOP_SECRET_KEY=self.secret,
            SHOP_RATELIMIT_ENABLED="false",
            SHOP_INSTANCE_PATH=str(self.workdir / "instance"),
            SHOP_MEDIA_ROOT=str(self.workdir / "media"),
            BENCH_WORKERS=str(self.args.workers),
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),
            **extra,
        )
        if self.args.redis_url:
            env["SHOP_REDIS_URL"] = self.args.redis_url
        if self.args.no_cache:
            env["SHOP_CATALOG_CACHE"] = "false"
        server = Server(name, argv, env, self.workdir / f"{name}.log")
        self.servers.append(server)
        return server

    # --- reporting and cleaning up -----------------------------------------------------------

    def _heading(self) -> str:
        assert self.db is not None
        return f"{self.size:,} products on {self.db.label}"

    def _settings(self, seed_seconds: float) -> list[str]:
        a = self.args
        cpu = _cpu_model()
        return [
            f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}",
            f"servers: `shop serve` and the floor, {a.workers} gunicorn workers each"
            + (f" ({' '.join(a.serve_args)})" if a.serve_args else "")
            + (
                ", catalog cache off"
                if a.no_cache
                else ", catalog cache in Redis"
                if a.redis_url
                else ", catalog cache in process"
            ),
            f"load: wrk, {a.connections} connections, {a.threads} threads, {a.duration} s per "
            f"scenario after {a.warmup} s warm-up; rate limits off",
            f"seeded in {seed_seconds:.1f} s: {self.size:,} products, 50 categories, 20 vendors, "
            f"{a.customers} customers, 0-5 reviews per product",
        ]

    def cleanup(self, *, keep: bool) -> None:
        for server in self.servers:
            server.stop()
        if keep:
            print(f"kept: {self.workdir}" + (f" and {self.db.url}" if self.db else ""))
            return
        if self.db is not None:
            self.db.drop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _failing_softly(number: int, title: str, run: Any) -> report.Row:
    """The row ``run`` makes, or a row saying why it could not be made (the others still are)."""
    try:
        return run()  # type: ignore[no-any-return]
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        first_lines = " / ".join(str(error).strip().splitlines()[-2:])
        return report.Row(number, title, skipped=f"failed: {first_lines}"[:300])


def _body_size(url: str) -> int:
    """The size of a successful answer at ``url``, or 0 when there is none."""
    try:
        return len(_get(url))
    except urllib.error.HTTPError:
        return 0


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def _rss_note(name: str, peaks: list[float]) -> str:
    if not peaks:
        return f"{name} worker peak RSS: no live workers found"
    listed = ", ".join(f"{p:.0f}" for p in sorted(peaks))
    return f"{name} worker peak RSS (VmHWM): max {max(peaks):.0f} MiB (workers: {listed} MiB)"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
