"""`shop prune` on the real database: what goes, what stays, and several servers at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa
from flask.cli import ScriptInfo

from shop_web.cli import main
from shopcore.adapters.sqlalchemy.tables import idempotency_keys, logins, refresh_tokens
from shopcore.domain.clock import utcnow


def engine(app) -> sa.Engine:
    return app.extensions["shopcore"].engine


def count(app, table, *where) -> int:
    with engine(app).connect() as conn:
        query = sa.select(sa.func.count()).select_from(table)
        return conn.execute(query.where(*where) if where else query).scalar_one()


def login_id_of(app, user_id: int) -> str:
    with engine(app).connect() as conn:
        return conn.execute(sa.select(logins.c.id).where(logins.c.user_id == user_id)).scalar_one()


def expire(app, login_id: str) -> None:
    with engine(app).begin() as conn:
        past = utcnow() - timedelta(minutes=1)
        conn.execute(sa.update(logins).where(logins.c.id == login_id).values(expires_at=past))


def add_key(app, user_id: int, key: str, age: timedelta) -> None:
    with engine(app).begin() as conn:
        conn.execute(
            sa.insert(idempotency_keys).values(
                user_id=user_id,
                key=key,
                request_hash="h" * 64,
                order_number=None,
                created_at=utcnow() - age,
            )  # fmt: skip
        )


def run_prune(app) -> str:
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["prune"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    return result.output


def test_prune_removes_revoked_and_expired_logins_and_old_keys_only(app, api):
    live, revoked, expired = api.register(), api.register(), api.register()
    api.post("/api/auth/logout/", {"refresh": revoked["refresh"]}, revoked["access"])
    expire(app, login_id_of(app, expired["user"]["id"]))
    add_key(app, live["user"]["id"], "old", timedelta(hours=24, minutes=1))
    add_key(app, live["user"]["id"], "fresh", timedelta(hours=23))
    gone = [login_id_of(app, s["user"]["id"]) for s in (revoked, expired)]

    output = run_prune(app)

    assert output.strip() == "pruned 2 logins (with their refresh tokens) and 1 idempotency keys"
    assert count(app, logins, logins.c.id.in_(gone)) == 0
    assert count(app, refresh_tokens, refresh_tokens.c.login_id.in_(gone)) == 0
    mine = logins.c.user_id.in_([s["user"]["id"] for s in (live, revoked, expired)])
    assert count(app, logins, mine) == 1
    kept = login_id_of(app, live["user"]["id"])
    assert count(app, refresh_tokens, refresh_tokens.c.login_id == kept) == 1
    assert count(app, idempotency_keys, idempotency_keys.c.key.in_(["old", "fresh"])) == 1
    assert api.get("/api/auth/me/", live["access"]).status_code == 200
    for session in (revoked, expired):
        assert api.get("/api/auth/me/", session["access"]).status_code == 401
        assert api.post("/api/auth/refresh/", {"refresh": session["refresh"]}).status_code == 401


def test_a_second_prune_finds_nothing_to_do(app, api):
    session = api.register()
    api.post("/api/auth/logout/", {"refresh": session["refresh"]}, session["access"])

    run_prune(app)

    assert run_prune(app).startswith("pruned 0 logins") and count(app, logins) == 0


def test_prunes_running_at_once_delete_every_stale_row_exactly_once(app, api):
    session = api.register()
    for number in range(30):
        api.post("/api/auth/login/", {"email": session["user"]["email"], "password": "s3cret-pass"})
        add_key(app, session["user"]["id"], f"k{number}", timedelta(days=2))
    with engine(app).begin() as conn:
        conn.execute(sa.update(logins).values(revoked_at=utcnow() - timedelta(seconds=1)))
    shop, results, failures = app.extensions["shopcore"], [], []
    barrier = threading.Barrier(4)

    def prune() -> None:
        try:
            barrier.wait()
            results.append(shop.prune.execute())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=prune) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sum(r.logins for r in results) == 31
    assert sum(r.idempotency_keys for r in results) == 30
    assert count(app, logins) == count(app, refresh_tokens) == count(app, idempotency_keys) == 0
