"""The benchmark's reading of wrk's output and its results table (bench/)."""

from __future__ import annotations

from bench import report, wrk

WRK_LINE = {
    "requests": 1000, "duration_us": 2_000_000, "bytes": 1, "p50_us": 1500, "p90_us": 1,
    "p99_us": 12_345, "max_us": 1, "mean_us": 1.0, "connect_errors": 1, "read_errors": 2,
    "write_errors": 0, "timeouts": 3, "statuses": {"200": 990, "404": 4, "503": 6},
}  # fmt: skip


def test_wrk_output_is_read_into_rates_latencies_and_errors() -> None:
    result = wrk._parse(WRK_LINE)

    assert result.rps == 500
    assert (result.p50_ms, result.p99_ms) == (1.5, 12.345)
    assert result.non_2xx == 10 and result.socket_errors == 6 and result.errors == 16
    assert result.count(500, 599) == 6


def test_the_table_shows_ratios_to_the_floor_and_skipped_scenarios() -> None:
    fast = wrk._parse(WRK_LINE | {"requests": 2000, "statuses": {"200": 2000}})
    slow = wrk._parse(WRK_LINE | {"requests": 500, "statuses": {"200": 500}})
    table = report.Report("title", ["a setting"])
    table.rows = [
        report.Row(1, "list", slow, vs_floor=True, sql="3 / 0"),
        report.Row(4, "orders", skipped="skipped: /api/orders/ not available"),
        report.Row(6, "floor", fast),
    ]
    text = table.markdown()

    assert "| 1 | list | 250 | 1.5 | 12.3 | 6 | 25% | 3 / 0 |" in text
    assert "| 4 | orders | skipped: /api/orders/ not available |" in text
    assert "| 6 | floor | 1,000 |" in text
