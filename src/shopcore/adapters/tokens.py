"""JSON Web Tokens with pyjwt: HS256 pinned, every registered claim required and checked."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt

from shopcore.domain.errors import InvalidToken
from shopcore.ports.security import TokenClaims, TokenIssuer

ALGORITHM = "HS256"
_REQUIRED = ["iss", "aud", "exp", "iat", "sub", "jti", "sid", "typ"]


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
                options={"require": _REQUIRED},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken() from exc
        if payload["typ"] != kind or not str(payload["sub"]).isdigit():
            raise InvalidToken()
        return TokenClaims(
            subject=int(payload["sub"]),
            login_id=str(payload["sid"]),
            jti=str(payload["jti"]),
            kind=kind,
            issued_at=datetime.fromtimestamp(payload["iat"], UTC),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
        )
