"""The README's "Using `shopcore` from Python" example, run as written, so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shopcore.bootstrap import UseCases
from shopcore.domain.users import Principal, Role

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Using `shopcore` from Python"


def library_example_blocks() -> list[str]:
    """The ```python blocks of the README section, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.DOTALL)


def run_block(code: str, namespace: dict[str, Any]) -> tuple[UseCases, Principal]:
    exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 - the README's own code
    return namespace["shop"], namespace["caller"]


def test_the_readme_shows_the_sql_example_then_the_in_memory_one() -> None:
    blocks = library_example_blocks()
    assert len(blocks) == 2
    assert "bootstrap(Settings(database_url=" in blocks[0]
    assert "bootstrap_in_memory()" in blocks[1]


def test_the_readme_library_example_runs_on_sqlite_then_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the example's relative sqlite:///shop.db lands here
    sql_block, memory_block = library_example_blocks()
    namespace: dict[str, Any] = {"__name__": "readme_example"}

    sql_shop, sql_caller = run_block(sql_block, namespace)
    assert (tmp_path / "shop.db").is_file()
    assert sql_shop.engine is not None and sql_shop.database_ok()
    assert sql_caller.role is Role.CUSTOMER
    assert sql_shop.get_user.execute(sql_caller, sql_caller.user_id).email == "ann@example.com"

    memory_shop, memory_caller = run_block(memory_block, namespace)
    assert memory_shop.engine is None and memory_shop.database_ok()
    assert memory_caller.role is Role.CUSTOMER
    assert memory_shop.get_user.execute(memory_caller, memory_caller.user_id).email == (
        "bob@example.com"
    )
    sql_shop.engine.dispose()
