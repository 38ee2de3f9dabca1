"""`make mutation`: mutmut 3 over the pure core, and a report of what survived.

    python tools/mutation.py [--children N] [--report-only] [--survivors FILE] [MUTANT ...]

Runs ``mutmut run`` (configured in pyproject.toml's ``[tool.mutmut]``: ``shopcore.domain`` and
``shopcore.use_cases``, mutated, against ``tests/unit`` only), then prints the score twice and
lists every survivor that changes behaviour, each with its diff.

A survivor *only rewords a message* when the original and the mutated function differ (as ASTs)
only in messages: the message of a ``ShopError`` subclass (its first argument or ``message=``:
rewritten, ``None`` or left out, so the class's default message shows), a string inside a
``raise`` statement that is not a dict key (the keys of ``errors`` are field names: contract), a
string assigned to a name that contains ``message`` or ends in ``_RULE``, a string appended to
``problems`` (the password rules' messages), or anything passed to ``log.<level>(...)`` (what is
logged, not whether). Anything else a survivor changes (an operator, a number, a field name, a
keyword, a default, an ``errors`` mapping) is behaviour.

The score is detected / checked: detected are killed, caught by the type check or timed out;
checked leaves out mutants never run (``not checked``, ``skipped``): "all mutants"
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
# A timeout counts as detected, as mutmut counts it (a mutant that loops forever is caught); on a
# busy machine a slow survivor can time out too, so their names are printed: re-run them.
KILLED = {"killed", "caught by type check", "timeout"}
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


def _is_logger_call(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in LOGGER_METHODS
        and isinstance(func.value, ast.Name)
        and func.value.id == "log"
    )


def _is_error_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _call_name(node) in ERROR_NAMES


def _in_message_slot(child: ast.AST, call: ast.Call) -> bool:
    """``child`` is the message of an error (its first argument or ``message=``)."""
    if call.args and child is call.args[0]:
        return True
    return any(k.arg == "message" and child is k.value for k in call.keywords)


def _is_message(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` of the original function is (part of) a message; see the docstring."""
    if isinstance(node, ast.Call) and (_is_logger_call(node) or _is_error_call(node)):
        return True  # the call itself differs: judged by _call_differs_in_message_only
    text = isinstance(node, ast.Constant) and isinstance(node.value, str)
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Dict) and child in parent.keys:
            return False  # a field name of ``errors``: part of the contract
        if isinstance(parent, ast.Subscript) and child is not parent.value:
            return False  # a key looked up
        if isinstance(parent, ast.Compare):
            return False  # a value compared against
        if isinstance(parent, ast.Raise):
            return text
        if isinstance(parent, ast.Call):
            if _is_logger_call(parent):
                return True
            if _is_error_call(parent):
                return _in_message_slot(child, parent) or text
            receiver = parent.func.value if isinstance(parent.func, ast.Attribute) else None
            is_problem = isinstance(receiver, ast.Name) and receiver.id == "problems"
            if _call_name(parent) == "append" and is_problem:
                return True
        if isinstance(parent, ast.Assign | ast.AnnAssign):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            return any("message" in n.lower() or n.endswith("_RULE") for n in names)
        if isinstance(parent, ast.stmt):
            return False
        child, parent = parent, parents.get(parent)
    return False


def _without_message(call: ast.Call) -> str:
    """The call with its message left out: the first argument and any ``message=``."""
    args = call.args[1:]
    keywords = [k for k in call.keywords if k.arg != "message"]
    return ast.dump(ast.Call(call.func, args, keywords))


def _call_differs_in_message_only(old: ast.AST, new: ast.AST) -> bool:
    if not (isinstance(old, ast.Call) and isinstance(new, ast.Call)):
        return False
    if _is_logger_call(old):
        return ast.dump(old.func) == ast.dump(new.func)  # what is logged, not whether
    if _is_error_call(old):
        return _without_message(old) == _without_message(new)
    return False


def _differences(a: ast.AST, b: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """The smallest pairs of nodes in which two trees differ (a node whose list of children
    changed length, such as a call that lost an argument, is one difference)."""
    if type(a) is not type(b):
        return [(a, b)]
    if isinstance(a, ast.Constant):
        same = a.value == b.value and type(a.value) is type(b.value)  # type: ignore[attr-defined]
        return [] if same else [(a, b)]
    found: list[tuple[ast.AST, ast.AST]] = []
    for name, left in ast.iter_fields(a):
        right = getattr(b, name, None)
        if isinstance(left, ast.AST) and isinstance(right, ast.AST):
            found += _differences(left, right)
        elif isinstance(left, list) and isinstance(right, list):
            if len(left) != len(right):
                return [(a, b)]
            for x, y in zip(left, right, strict=True):
                if isinstance(x, ast.AST) and isinstance(y, ast.AST):
                    found += _differences(x, y)
                elif x != y:
                    return [(a, b)]
        elif left != right or isinstance(left, ast.AST) != isinstance(right, ast.AST):
            return [(a, b)]
    return found


def only_messages_differ(original: str, mutated: str) -> bool:
    """True when ``mutated`` differs from ``original`` only in what messages say."""
    try:
        before, after = ast.parse(original), ast.parse(mutated)
    except SyntaxError:
        return False
    parents = _parents(before)
    pairs = _differences(before, after)
    for old, new in pairs:
        if isinstance(old, ast.Call) and (_is_logger_call(old) or _is_error_call(old)):
            if not _call_differs_in_message_only(old, new):
                return False
        elif not _is_message(old, parents):
            return False
    return bool(pairs)


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
    timeouts = [m.name for m in mutants if m.status == "timeout"]
    if timeouts:
        print(f"\ntimed out (counted as detected; re-run them if the machine was busy): {timeouts}")
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
