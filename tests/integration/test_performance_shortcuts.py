"""The shortcuts taken for speed (issue 7) answer exactly what the long ways did."""

from __future__ import annotations

from flask import Flask, session
from flask.sessions import NullSession
from hypothesis import given
from hypothesis import strategies as st

from shop_web import logs
from shopcore.adapters.storage import check_name

SECRETISH = st.text(
    alphabet=st.sampled_from(list("0123456789 -abcBEARERbearer:=\"'eyJ.xtokenpasswordsecret/")),
    max_size=60,
)


def _scrub_every_pattern(text: str) -> str:
    for pattern, replacement in logs._SECRETS:
        text = pattern.sub(replacement, text)
    return text


@given(st.one_of(SECRETISH, st.text(max_size=60)))
def test_log_redaction_with_its_quick_check_redacts_the_same(text: str) -> None:
    assert logs.scrub(text) == _scrub_every_pattern(text)


def _old_character_check(name: str) -> bool:
    return "\\" in name or any(ord(char) < 32 or ord(char) == 127 for char in name)


@given(st.text(min_size=1, max_size=30))
def test_media_names_are_refused_for_the_same_characters_as_before(name: str) -> None:
    try:
        check_name(name)
        refused = False
    except ValueError as error:
        refused = "Invalid character" in str(error)
    assert refused == _old_character_check(name)


def test_no_cookie_session_is_opened_or_sent(app: Flask) -> None:
    response = app.test_client().get("/api/health/")

    assert "Set-Cookie" not in response.headers
    with app.test_request_context("/"):
        assert isinstance(session._get_current_object(), NullSession)  # nothing read or kept
