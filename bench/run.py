"""``make bench``: the production server against the framework floor, on a fresh database.

    make bench                      # 10,000 products, SQLite temp file
    make bench SIZE=100000          # 100,000 products
    make bench-compare              # 10k then 100k, p50 of scenarios 1-3 side by side
    SHOP_BENCH_DATABASE_URL=mysql+pymysql://root@127.0.0.1:3306/hbench_run make bench
    make bench DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/hbench_run

Settings (flag or environment): SIZE, DURATION (s per scenario), WARMUP (s),
BENCH_CONNECTIONS, BENCH_THREADS (wrk), BENCH_WORKERS (gunicorn workers, same for every
server), BENCH_CUSTOMERS, BENCH_SCENARIOS (e.g. "1,2,3,6"; 7 is the mixed one: the list and
the details read-only, then while orders flow at BENCH_ORDER_RATE per second, default 50),
BENCH_SERVE_ARGS (extra `shop serve` options for both servers, e.g. "--threads 4"),
SHOP_BENCH_DATABASE_URL or --database-url
(MariaDB/MySQL or PostgreSQL; the database named there is dropped and created; `make bench
DATABASE_URL=...` passes it on), SHOP_BENCH_REDIS_URL (given to the server as
SHOP_REDIS_URL), BENCH_NO_CACHE=1 (the catalog cache off). The table goes to stdout and
bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report  # noqa: E402
from bench.session import BenchSession  # noqa: E402


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=_env_int("SIZE", 10_000))
    p.add_argument("--duration", type=int, default=_env_int("DURATION", 10))
    p.add_argument("--warmup", type=int, default=_env_int("WARMUP", 3))
    p.add_argument("--connections", type=int, default=_env_int("BENCH_CONNECTIONS", 32))
    p.add_argument("--threads", type=int, default=_env_int("BENCH_THREADS", 2))
    p.add_argument("--workers", type=int, default=_env_int("BENCH_WORKERS", 4))
    p.add_argument("--customers", type=int, default=_env_int("BENCH_CUSTOMERS", 200))
    p.add_argument("--scenarios", default=os.environ.get("BENCH_SCENARIOS", "1,2,3,4,5,6,7"))
    p.add_argument("--order-rate", type=float, default=float(os.environ.get("BENCH_ORDER_RATE")
                                                             or 50))  # fmt: skip
    p.add_argument("--serve-args", default=os.environ.get("BENCH_SERVE_ARGS", ""))
    p.add_argument("--database-url", default=os.environ.get("SHOP_BENCH_DATABASE_URL", ""))
    p.add_argument("--redis-url", default=os.environ.get("SHOP_BENCH_REDIS_URL", ""))
    p.add_argument(
        "--no-cache",
        action="store_true",
        default=_flag("BENCH_NO_CACHE"),
        help="serve with SHOP_CATALOG_CACHE=false (every read from the database)",
    )
    p.add_argument("--compare", action="store_true", help="10k and 100k products, interleaved")
    p.add_argument("--compare-sizes", default=os.environ.get("BENCH_COMPARE_SIZES", "10000,100000"))
    p.add_argument("--keep", action="store_true", help="keep the database and work folder")
    args = p.parse_args(argv)
    args.scenarios = {int(n) for n in args.scenarios.split(",") if n.strip()}
    args.serve_args = shlex.split(args.serve_args)
    args.compare_sizes = [int(n) for n in args.compare_sizes.split(",")][:2]
    if args.size < 100 or args.customers < 1 or args.connections < 1 or args.workers < 1:
        p.error("SIZE must be at least 100; connections, workers and customers at least 1")
    return args


def run_once(args: argparse.Namespace, size: int) -> report.Report:
    session = _session(args, size)
    try:
        return session.run()
    finally:
        session.cleanup(keep=args.keep)


def _session(args: argparse.Namespace, size: int) -> BenchSession:
    workdir = Path(tempfile.mkdtemp(prefix="shop-bench-"))
    os.environ["SHOP_INSTANCE_PATH"] = str(workdir / "instance")  # read when shop_web loads
    return BenchSession(args, size, workdir)


def compare(args: argparse.Namespace) -> str:
    """10k and 100k products side by side: both servers up, each scenario run on one then the
    other, so that both p50s of a scenario come from the same minutes of a shared machine.
    On MySQL and PostgreSQL the databases are the named one with ``_10000`` and ``_100000``
    appended."""
    small, large = args.compare_sizes
    sessions = {size: _session(args, size) for size in (small, large)}
    try:
        for size, session in sessions.items():
            session.prepare(database_suffix=f"_{size}")
        for session in sessions.values():
            session.start_servers()
        for number in range(len(sessions[small].plan)):
            for session in sessions.values():
                session.run_scenario(session.plan[number])
        runs = {size: session.finish() for size, session in sessions.items()}
    finally:
        for session in sessions.values():
            session.cleanup(keep=args.keep)
    for size, result in runs.items():
        report.save(result.markdown(), f"size-{size}.md")
    table = _p50_table(runs[small], runs[large], small, large)
    return "\n\n".join(r.markdown() for r in runs.values()) + "\n" + table + "\n"


def _p50_table(small: report.Report, large: report.Report, a: int, b: int) -> str:
    lines = [f"## p50 at {a:,} and {b:,} products (interleaved runs)", "",
             f"| # | scenario | p50 ms {a:,} | p50 ms {b:,} | ratio |",
             "|---|---|---:|---:|---:|"]  # fmt: skip
    for number in (1, 2, 3):
        one, other = small.row(number), large.row(number)
        if not (one and other and one.result and other.result):
            lines.append(f"| {number} | skipped | | | |")
            continue
        x, y = one.result.p50_ms, other.result.p50_ms
        lines.append(f"| {number} | {one.title} | {x:.1f} | {y:.1f} | {y / x:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    text = compare(args) if args.compare else run_once(args, args.size).markdown()
    print(text)
    path = report.save(text, "compare.md" if args.compare else "latest.md")
    report.save(text, "latest.md")
    print(f"(written to {path})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
