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

from bench import database, inprocess, mixed, report, scenarios, seed, stock, wrk
from bench.servers import Server

SHOP = str(Path(sys.executable).parent / "shop")
FALLBACK_BODY = 8_192
FLOOR_TITLE = "floor: minimal Flask app, fixed {:,}-byte JSON body"
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
        self.floor: Server | None = None
        self.floor_runs: list[wrk.WrkResult] = []

    def run(self) -> report.Report:
        """Everything, one scenario after the other."""
        self.prepare()
        self.start_servers()
        for scenario in self.plan:
            self.run_scenario(scenario)
        self.run_mixed()
        return self.finish()

    def prepare(self, database_suffix: str = "") -> None:
        """A fresh database, seeded; tokens; the scenarios' request files; the in-process app."""
        started = time.monotonic()
        url = self.args.database_url
        self.db = database.create(url + database_suffix if url else "", self.workdir)
        self.seeded = seeded = seed.seed(self.db.engine(), self.size, self.args.customers)
        seed_seconds = time.monotonic() - started
        cache = {"CATALOG_CACHE": not self.args.no_cache, "REDIS_URL": self.args.redis_url}
        media = str(self.workdir / "media")
        self.app = inprocess.make_app(self.db.url, self.secret, media, **cache)
        tokens = inprocess.issue_tokens(self.app, seeded.customer_ids)
        self.plan = scenarios.build(seeded, tokens, self.workdir)
        self.out = report.Report(self._heading(), self._settings(seed_seconds))

    def start_servers(self) -> None:
        """The shop; and the floor (when selected), on a server of its own next to it."""
        self.shop = self._server("shop", [SHOP, "serve", *self.args.serve_args])
        self.shop.start("/api/health/")
        self.measured = _body_size(self.shop.base_url + self.plan[0].probe.path)
        size = self.measured or FALLBACK_BODY
        self.floor_row = _failing_softly(6, FLOOR_TITLE.format(size),
                                         partial(self._start_floor, size))  # fmt: skip
        self.stock_before = stock.total_stock(self.db.engine(), self.seeded.order_slugs)  # type: ignore[union-attr]

    def run_scenario(self, scenario: scenarios.Scenario) -> None:
        """One scenario; for 1-3 the floor right after it, so each ratio comes from one window."""
        run = partial(self._row, self.app, self.shop, scenario)
        row = _failing_softly(scenario.number, scenario.title, run)
        self.out.rows.append(row)
        if row.result is not None and scenario.vs_floor and self.floor is not None:
            row.floor = self._floor_run()

    def run_mixed(self) -> None:
        """Scenario 7: the list (1) and the details (3), read-only then with orders flowing."""
        title = f"reads while orders flow at {self.args.order_rate:g}/s"
        if scenarios.MIXED not in self.args.scenarios:
            self.out.rows.append(report.Row(scenarios.MIXED, title, skipped="not selected"))
            return
        orders = self.plan[3]
        assert orders.requests_file is not None
        lines = orders.requests_file.read_text().splitlines()
        for scenario, label in ((self.plan[0], "list"), (self.plan[2], "detail")):
            run = mixed.measure(self.shop.base_url, self.load, label, scenario.probe.path,
                                scenario.requests_file, lines, self.args.order_rate)  # fmt: skip
            kept = f"{run.kept:.0%} of read-only, cache hits {_hits(run.mixed)}"
            row = report.Row(scenarios.MIXED, f"{label} while orders flow: {kept}")
            row.result = run.mixed
            self.out.rows.append(row)
            self.out.notes.append(run.line())

    def finish(self) -> report.Report:
        """Stop the servers; check the stock; peak memory; SQL counts; the table."""
        if self.floor is not None and not self.floor_runs:
            self._floor_run()
        peaks = self.shop.peak_rss_mib()
        for server in self.servers:
            server.stop()
        out, engine = self.out, self.db.engine()  # type: ignore[union-attr]
        out.rows.append(self._floor_row(self.floor_row))
        out.notes += stock.notes(engine, self.seeded.order_slugs, self.stock_before, out.row(4))
        out.notes.append(_rss_note("shop", peaks))
        size = self.measured or FALLBACK_BODY
        out.notes.append(
            f"scenario 1 answer: {size:,} bytes; the floor answers as many"
            if self.measured
            else f"scenario 1 unavailable: the floor answers {size:,} bytes"
        )
        for row, scenario in zip(out.rows, self.plan, strict=False):
            if scenario.count_sql and row.result is not None:
                row.sql = str(inprocess.count_statements(self.app, scenario.probe))
        out.notes.append(SQL_NOTE)
        return out

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

    def _start_floor(self, size: int) -> report.Row:
        if 6 not in self.args.scenarios:
            return report.Row(6, FLOOR_TITLE.format(size), skipped="not selected")
        argv = [sys.executable, "-m", "bench.floor", *self.args.serve_args]
        server = self._server("floor", argv, BENCH_FLOOR_BYTES=str(size))
        server.start("/api/health/")
        if len(_get(server.base_url + "/")) != size:
            raise RuntimeError("the floor server does not answer the floor app's body")
        self.floor = server
        return report.Row(6, FLOOR_TITLE.format(size))

    def _floor_run(self) -> wrk.WrkResult:
        assert self.floor is not None
        result = wrk.run(self.floor.base_url + "/api/products/", self.load)
        self.floor_runs.append(result)
        return result

    def _floor_row(self, row: report.Row) -> report.Row:
        """The floor's run with the median rate; every run's rate in the title."""
        runs = sorted(self.floor_runs, key=lambda r: r.rps)
        if runs:
            row.result = runs[len(runs) // 2]
            if len(runs) > 1:
                rates = ", ".join(f"{r.rps:,.0f}" for r in self.floor_runs)
                row.title += f"; median of its runs after 1, 2 and 3 ({rates} req/s)"
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


def _hits(result: wrk.WrkResult) -> str:
    return f"{result.hit_ratio:.0%}" if result.hit_ratio is not None else "n/a"


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
