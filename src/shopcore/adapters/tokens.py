"""JSON Web Tokens with pyjwt: HS256 pinned, every registered claim required and checked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jwt

from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import TokenClaims, TokenIssuer

ALGORITHM = "HS256"
# Every claim, with the one type our issuer writes it with (``bool`` is not an ``int`` here).
_CLAIM_TYPES: dict[str, type] = {
    "iss": str, "aud": str, "sub": str, "sid": str, "jti": str, "typ": str, "iat": int, "exp": int,
}  # fmt: skip
_MAX_SUBJECT = 2**31 - 1  # the largest INTEGER id MariaDB/MySQL store


class JwtTokenIssuer(TokenIssuer):
    def __init__(self, secret: str, *, issuer: str = "shop", audience: str = "shop-api") -> None:
        if len(secret.encode()) < 32:
            raise ValueError("the token signing key must be at least 32 bytes")
        self._secret, self._issuer, self._audience = secret, issuer, audience

    def issue(self, claims: TokenClaims) -> str:
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(claims.subject),
            "sid": claims.login_id,
            "jti": claims.jti,
            "typ": claims.kind,
            "iat": int(claims.issued_at.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
        }
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM)

    def decode(self, token: str, kind: str) -> TokenClaims:
        try:
            # The algorithm list is ours, never read from the token's header, so `none` and
            # algorithm-confusion tokens are refused.
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": list(_CLAIM_TYPES)},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken() from exc
        return _claims(payload, kind)


def _claims(payload: dict[str, Any], kind: str) -> TokenClaims:
    """The claims of a correctly signed token, checked to be as our issuer writes them.

    Only our key signs tokens, so this guards against our own mistakes rather than forgers: a
    claim of another type (``"exp": "1767225600"``, which pyjwt lets through), an id the
    database cannot hold or a time no datetime can hold is a 401 like any other bad token,
    never a crash.
    """
    if any(type(payload[name]) is not expected for name, expected in _CLAIM_TYPES.items()):
        raise InvalidToken()
    subject, login_id, jti = payload["sub"], payload["sid"], payload["jti"]
    if payload["typ"] != kind or not (login_id and jti):
        raise InvalidToken()
    if not (subject.isascii() and subject.isdigit()) or not 0 < int(subject) <= _MAX_SUBJECT:
        raise InvalidToken()
    try:
        issued_at, expires_at = (datetime.fromtimestamp(payload[n], UTC) for n in ("iat", "exp"))
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidToken() from exc
    return TokenClaims(int(subject), login_id, jti, kind, issued_at, expires_at)
