"""`make mutation`: mutmut 3 over the pure core, and a report of what survived.

    python tools/mutation.py [--children N] [--report-only] [--survivors FILE] [MUTANT ...]

Runs ``mutmut run`` (configured in pyproject.toml's ``[tool.mutmut]``: ``shopcore.domain`` and
``shopcore.use_cases``, mutated, against ``tests/unit`` only), then prints the score twice and
lists every survivor that changes behaviour, each with its diff.

A survivor *only rewords a message* when the original and the mutated function differ in string
constants alone (their ASTs are otherwise equal) and each changed string is a message: it sits in
a ``raise`` statement or in the arguments of a ``ShopError`` subclass (not as a dict key: those are
the field names of ``errors``), is assigned to a name that contains ``message`` or ends in
``_RULE``, is appended to ``problems`` (the password rules' messages), or is passed to a logger.
Anything else a survivor changes (an operator, a number, a field name, a default) is behaviour.

The score is killed / (killed + survived + no tests + timeouts + suspicious): "all mutants"
counts every mutant, "behaviour" leaves the message-only survivors out of both sides.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {"killed", "caught by type check"}
UNTESTED = {"not checked", "skipped", "check was interrupted by user"}
LOGGER_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    status: str
    original: str
    mutated: str
    diff: str

    @property
    def message_only(self) -> bool:
        return only_messages_differ(self.original, self.mutated)


# --- telling a message-only rewrite from a change of behaviour ------------------------------


def _error_names() -> set[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from shopcore.domain import errors

    return {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.ShopError)
    }


ERROR_NAMES = _error_names()


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_message(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether the string constant ``node`` is a message (see the module docstring)."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Dict) and child in parent.keys:
            return False  # a field name of ``errors``: part of the contract
        if isinstance(parent, ast.Subscript | ast.Compare) and child is not parent.value:
            return False  # a key looked up, or a value compared against
        if isinstance(parent, ast.Raise):
            return True
        if isinstance(parent, ast.Call):
            name = _call_name(parent)
            receiver = parent.func.value if isinstance(parent.func, ast.Attribute) else None
            if name in ERROR_NAMES:
                return True
            if name == "append" and isinstance(receiver, ast.Name) and receiver.id == "problems":
                return True
            if name in LOGGER_METHODS and isinstance(receiver, ast.Name) and receiver.id == "log":
                return True
        if isinstance(parent, ast.Assign | ast.AnnAssign):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            return any("message" in n.lower() or n.endswith("_RULE") for n in names)
        if isinstance(parent, ast.stmt):
            return False
        child, parent = parent, parents.get(parent)
    return False


def only_messages_differ(original: str, mutated: str) -> bool:
    """True when ``mutated`` differs from ``original`` only in strings that are messages."""
    try:
        before, after = ast.parse(original), ast.parse(mutated)
    except SyntaxError:
        return False
    nodes_before, nodes_after = list(ast.walk(before)), list(ast.walk(after))
    if len(nodes_before) != len(nodes_after):
        return False
    parents = _parents(before)
    changed = False
    for old, new in zip(nodes_before, nodes_after, strict=True):
        if type(old) is not type(new):
            return False
        if isinstance(old, ast.Constant) and isinstance(new, ast.Constant):
            if old.value == new.value and type(old.value) is type(new.value):
                continue
            if not (isinstance(old.value, str) and isinstance(new.value, str)):
                return False
            if not _is_message(old, parents):
                return False
            changed = True
        elif _fields(old) != _fields(new):
            return False
    return changed


def _fields(node: ast.AST) -> tuple[object, ...]:
    """The node's own non-node fields (operator types, names, ...), children left out."""
    values: list[object] = []
    for _name, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            values.append(type(value).__name__ if not list(ast.iter_child_nodes(value)) else None)
        elif isinstance(value, list):
            values.append(len(value))
        else:
            values.append(value)
    return tuple(values)


# --- reading mutmut's results ---------------------------------------------------------------


def load_mutants() -> list[Mutant]:
    import libcst as cst
    from mutmut.__main__ import SourceFileMutationData, walk_mutatable_files
    from mutmut.mutation.diff_apply import (
        read_functions_from_index,
        read_mutant_function,
        read_mutants_module,
        read_original_function,
    )
    from mutmut.stats import status_by_exit_code

    found = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        module = None
        for name, exit_code in data.exit_code_by_key.items():
            status = status_by_exit_code[exit_code]
            if status in KILLED:
                found.append(Mutant(name, str(path), status, "", "", ""))
                continue
            functions = read_functions_from_index(name, path)
            if functions is None:
                module = module or read_mutants_module(path)
                functions = (
                    read_original_function(module, name),
                    read_mutant_function(module, name),
                )
            original, mutated = (cst.Module([f]).code.strip() for f in functions)
            lines = difflib.unified_diff(
                original.split("\n"), mutated.split("\n"), str(path), str(path), lineterm=""
            )
            diff = "\n".join(lines)
            found.append(Mutant(name, str(path), status, original, mutated, diff))
    return found


def score(mutants: list[Mutant]) -> float:
    tested = [m for m in mutants if m.status not in UNTESTED]
    killed = sum(1 for m in tested if m.status in KILLED)
    return 100.0 * killed / len(tested) if tested else 0.0


def report(mutants: list[Mutant], survivors_file: Path | None) -> int:
    statuses = Counter(m.status for m in mutants)
    alive = [m for m in mutants if m.status not in KILLED | UNTESTED]
    rewordings = [m for m in alive if m.message_only]
    behaviour = [m for m in alive if not m.message_only]
    for m in behaviour:
        print(f"\n# {m.name}: {m.status}\n{m.diff}")
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    print(f"\n{len(mutants)} mutants: {counts}")
    print(f"score, all mutants:           {score(mutants):.1f}%")
    reworded = {m.name for m in rewordings}
    kept = [m for m in mutants if m.name not in reworded]
    print(
        f"score, behaviour only:        {score(kept):.1f}%  "
        f"({len(rewordings)} survivors only reword a message)"
    )
    print(f"survivors changing behaviour: {len(behaviour)}")
    if survivors_file is not None:
        survivors_file.write_text("".join(f"{m.name}\n" for m in behaviour))
        print(f'their names: {survivors_file} (re-run them: make mutation MUTANTS="$(cat ...)")')
    return 0


def sync_unmutated_sources() -> None:
    """mutmut copies ``src`` into ``mutants/`` once and never refreshes the files it does not
    mutate (the adapters, the in-memory fakes included): copy over those that changed since."""
    import fnmatch
    import shutil
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    for source in (ROOT / "src").rglob("*.py"):
        relative = source.relative_to(ROOT)
        if any(fnmatch.fnmatch(str(relative), p) for p in config["only_mutate"]):
            continue
        target = ROOT / "mutants" / relative
        if target.exists() and target.read_bytes() != source.read_bytes():
            shutil.copy2(source, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=2, help="mutmut workers (default 2)")
    parser.add_argument("--report-only", action="store_true", help="report the last run")
    parser.add_argument("--survivors", type=Path, help="write the behaviour survivors' names")
    parser.add_argument("mutants", nargs="*", help="only these mutants (globs allowed)")
    args = parser.parse_args()
    os.chdir(ROOT)
    if not args.report_only:
        sync_unmutated_sources()
        mutmut = Path(sys.executable).with_name("mutmut")
        command = [str(mutmut), "run", "--max-children", str(args.children), *args.mutants]
        run = subprocess.run(command, check=False)
        if run.returncode not in (0, 1):  # 1: some mutants survived
            return run.returncode
    return report(load_mutants(), args.survivors)


if __name__ == "__main__":
    sys.exit(main())
