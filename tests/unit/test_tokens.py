"""The JWT adapter: a correctly signed token with a malformed claim is InvalidToken, never a crash.

These tokens are signed with the right key, so they stand for a mistake of our own signing code
(or a leaked key): every claim must still be exactly as our issuer writes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shopcore.adapters.tokens import JwtTokenIssuer
from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import TokenClaims

KEY = "unit-test-signing-key-of-32-bytes-or-more"
NOW = int(time.time())
LIFETIME = 24 * 3600  # the module is read once per run: valid for a whole (long) run
GOOD = {
    "iss": "shop", "aud": "shop-api", "sub": "7", "sid": "login-1", "jti": "token-1",
    "typ": "access", "iat": NOW, "exp": NOW + LIFETIME,
}  # fmt: skip


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed(payload: Any) -> str:
    """HS256 over any JSON payload, with the right key (pyjwt's encoder would refuse some)."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = hmac.new(KEY.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


@pytest.fixture
def issuer() -> JwtTokenIssuer:
    return JwtTokenIssuer(KEY)


def test_a_well_formed_token_decodes_to_its_claims(issuer: JwtTokenIssuer) -> None:
    claims = issuer.decode(signed(GOOD), "access")

    assert (claims.subject, claims.login_id, claims.jti, claims.kind) == (
        7, "login-1", "token-1", "access"
    )  # fmt: skip
    assert claims.expires_at == datetime.fromtimestamp(NOW + LIFETIME, UTC)


def test_a_token_the_issuer_wrote_round_trips(issuer: JwtTokenIssuer) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    claims = TokenClaims(3, "login", "jti", "refresh", now, now + timedelta(days=1))

    assert issuer.decode(issuer.issue(claims), "refresh") == claims


MALFORMED = {
    "exp as a numeric string": {"exp": str(NOW + LIFETIME)},
    "iat as a numeric string": {"iat": str(NOW)},
    "exp as a fraction": {"exp": NOW + LIFETIME + 0.5},
    "iat as a fraction": {"iat": NOW + 0.5},
    "exp as true": {"exp": True},
    "exp as a list": {"exp": [NOW + LIFETIME]},
    "exp as an object": {"exp": {"at": NOW + LIFETIME}},
    "exp as null": {"exp": None},
    "exp beyond any date": {"exp": 10**20},
    "iat before any date": {"iat": -(10**20)},
    "sub as a number": {"sub": 7},
    "sub as fullwidth digits": {"sub": "\uff17"},
    "sub as zero": {"sub": "0"},
    "sub beyond the largest id": {"sub": str(2**31)},
    "sub as a list": {"sub": ["7"]},
    "sid as a number": {"sid": 1},
    "sid empty": {"sid": ""},
    "jti as a list": {"jti": ["token-1"]},
    "jti as null": {"jti": None},
    "typ as a list": {"typ": ["access"]},
    "typ of the other kind": {"typ": "refresh"},
    "aud as a list": {"aud": ["shop-api"]},
    "iss as a number": {"iss": 1},
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=list(MALFORMED))
def test_a_signed_token_with_a_malformed_claim_is_invalid(
    issuer: JwtTokenIssuer, change: dict[str, Any]
) -> None:
    with pytest.raises(InvalidToken):
        issuer.decode(signed({**GOOD, **change}), "access")


@pytest.mark.parametrize("claim", sorted(GOOD))
def test_a_signed_token_missing_any_claim_is_invalid(issuer: JwtTokenIssuer, claim: str) -> None:
    payload = {name: value for name, value in GOOD.items() if name != claim}

    with pytest.raises(InvalidToken):
        issuer.decode(signed(payload), "access")


@pytest.mark.parametrize(
    "payload", [[GOOD], "token", 7, None], ids=["list", "string", "number", "null"]
)
def test_a_signed_payload_that_is_not_an_object_is_invalid(
    issuer: JwtTokenIssuer, payload: Any
) -> None:
    with pytest.raises(InvalidToken):
        issuer.decode(signed(payload), "access")


def test_an_expired_token_with_well_formed_claims_is_invalid(issuer: JwtTokenIssuer) -> None:
    with pytest.raises(InvalidToken):
        issuer.decode(signed({**GOOD, "iat": NOW - 3600, "exp": NOW - 60}), "access")
