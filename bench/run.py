"""``make bench``: the production server against the framework floor, on a fresh database.

    make bench                      # 10,000 products, SQLite temp file
    make bench SIZE=100000          # 100,000 products
    make bench-compare              # 10k then 100k, p50 of scenarios 1-3 side by side
    SHOP_BENCH_DATABASE_URL=mysql+pymysql://root@127.0.0.1:3306/hbench_run make bench

Settings (flag or environment): SIZE, DURATION (s per scenario), WARMUP (s),
BENCH_CONNECTIONS, BENCH_THREADS (wrk), BENCH_WORKERS (gunicorn workers, same for every
server), BENCH_CUSTOMERS, BENCH_SCENARIOS (e.g. "1,2,3,6"), BENCH_SERVE_ARGS (extra `shop serve`
options for both servers, e.g. "--threads 4"), SHOP_BENCH_DATABASE_URL (MariaDB/MySQL; the
database named there is dropped and created), SHOP_BENCH_REDIS_URL (given to the server as
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
    p.add_argument("--scenarios", default=os.environ.get("BENCH_SCENARIOS", "1,2,3,4,5,6"))
    p.add_argument("--serve-args", default=os.environ.get("BENCH_SERVE_ARGS", ""))
    p.add_argument("--database-url", default=os.environ.get("SHOP_BENCH_DATABASE_URL", ""))
    p.add_argument("--redis-url", default=os.environ.get("SHOP_BENCH_REDIS_URL", ""))
    p.add_argument(
        "--no-cache",
        action="store_true",
        default=_flag("BENCH_NO_CACHE"),
        help="serve with SHOP_CATALOG_CACHE=false (every read from the database)",
    )
    p.add_argument("--compare", action="store_true", help="run 10k then 100k products")
    p.add_argument("--keep", action="store_true", help="keep the database and work folder")
    args = p.parse_args(argv)
    args.scenarios = {int(n) for n in args.scenarios.split(",") if n.strip()}
    args.serve_args = shlex.split(args.serve_args)
    if args.size < 100 or args.customers < 1 or args.connections < 1 or args.workers < 1:
        p.error("SIZE must be at least 100; connections, workers and customers at least 1")
    return args


def run_once(args: argparse.Namespace, size: int) -> report.Report:
    workdir = Path(tempfile.mkdtemp(prefix="shop-bench-"))
    os.environ["SHOP_INSTANCE_PATH"] = str(workdir / "instance")  # read when shop_web loads
    session = BenchSession(args, size, workdir)
    try:
        return session.run()
    finally:
        session.cleanup(keep=args.keep)


def compare(args: argparse.Namespace) -> str:
    runs = {size: run_once(args, size) for size in (10_000, 100_000)}
    for size, result in runs.items():
        report.save(result.markdown(), f"size-{size}.md")
    lines = ["## p50 at 10k and 100k products", "",
             "| # | scenario | p50 ms 10k | p50 ms 100k | ratio |",
             "|---|---|---:|---:|---:|"]  # fmt: skip
    for number in (1, 2, 3):
        small, large = runs[10_000].row(number), runs[100_000].row(number)
        if not (small and large and small.result and large.result):
            lines.append(f"| {number} | skipped | | | |")
            continue
        a, b = small.result.p50_ms, large.result.p50_ms
        lines.append(f"| {number} | {small.title} | {a:.1f} | {b:.1f} | {b / a:.2f}x |")
    return "\n\n".join(r.markdown() for r in runs.values()) + "\n" + "\n".join(lines) + "\n"


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
