"""The results table, printed and written to bench/results/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.wrk import WrkResult

RESULTS = Path(__file__).parent / "results"


@dataclass
class Row:
    number: int
    title: str
    result: WrkResult | None = None
    skipped: str = ""
    vs_floor: bool = False
    sql: str = ""
    floor: WrkResult | None = None  # the floor measured right before this scenario


@dataclass
class Report:
    heading: str
    settings: list[str]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, number: int) -> Row | None:
        return next((r for r in self.rows if r.number == number), None)

    def floor_rps(self) -> float | None:
        floor = self.row(6)
        return floor.result.rps if floor and floor.result else None

    def markdown(self) -> str:
        lines = [f"## {self.heading}", "", *(f"- {s}" for s in self.settings), ""]
        lines += ["| # | scenario | req/s | p50 ms | p99 ms | errors | vs floor | SQL/req |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        floor = self.floor_rps()
        for row in sorted(self.rows, key=lambda r: r.number):
            lines.append(_format_row(row, floor))
        if self.notes:
            lines += ["", *(f"- {note}" for note in self.notes)]
        return "\n".join(lines) + "\n"


def _format_row(row: Row, floor: float | None) -> str:
    if row.result is None:
        return f"| {row.number} | {row.title} | {row.skipped or 'skipped'} | | | | | |"
    r = row.result
    floor = row.floor.rps if row.floor is not None else floor
    ratio = f"{r.rps / floor:.0%}" if row.vs_floor and floor else ""
    return (f"| {row.number} | {row.title} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.errors} | {ratio} | {row.sql} |")  # fmt: skip


def save(text: str, name: str = "latest.md") -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(text)
    return path
