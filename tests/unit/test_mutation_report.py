"""tools/mutation.py tells a survivor that only rewords a message from a change of behaviour."""

from __future__ import annotations

import pytest
from tools.mutation import only_messages_differ

RAISE = 'def f():\n    raise RuleViolation("Bad input.", errors={"x": ["Too long."]})'


@pytest.mark.parametrize(
    "mutated",
    [
        'def f():\n    raise RuleViolation(None, errors={"x": ["Too long."]})',
        'def f():\n    raise RuleViolation(errors={"x": ["Too long."]})',
        'def f():\n    raise RuleViolation("XXBad input.XX", errors={"x": ["Too long."]})',
        'def f():\n    raise RuleViolation("Bad input.", errors={"x": ["XXToo long.XX"]})',
    ],
)
def test_a_rewritten_dropped_or_emptied_error_message_only_rewords(mutated: str) -> None:
    assert only_messages_differ(RAISE, mutated)


@pytest.mark.parametrize(
    "mutated",
    [
        'def f():\n    raise RuleViolation("Bad input.", errors={"XXxXX": ["Too long."]})',
        'def f():\n    raise RuleViolation("Bad input.", errors=None)',
        'def f():\n    raise PermissionDenied("Bad input.", errors={"x": ["Too long."]})',
        RAISE,
    ],
)
def test_a_changed_field_name_errors_mapping_or_error_class_is_behaviour(mutated: str) -> None:
    assert not only_messages_differ(RAISE, mutated)


def test_a_message_variable_set_to_none_only_rewords() -> None:
    original = 'def f(m):\n    message = f"At most {m}."\n    raise E(message)'
    assert only_messages_differ(original, "def f(m):\n    message = None\n    raise E(message)")


def test_a_comparison_or_a_field_name_argument_is_behaviour() -> None:
    assert not only_messages_differ(
        'def f(a):\n    if a > 1:\n        raise RuleViolation("No.")',
        'def f(a):\n    if a >= 1:\n        raise RuleViolation("No.")',
    )
    assert not only_messages_differ(
        'def f(c):\n    return clean_name(c, "name", 5)',
        'def f(c):\n    return clean_name(c, "XXnameXX", 5)',
    )


def test_what_a_logger_or_the_password_rules_say_is_a_message() -> None:
    assert only_messages_differ(
        'def f(n):\n    log.warning("could not delete %s", n, exc_info=True)',
        'def f(n):\n    log.warning("could not delete %s", exc_info=True)',
    )
    assert only_messages_differ(
        'def f():\n    problems.append("Too short.")',
        'def f():\n    problems.append("XXToo short.XX")',
    )
