"""The ``shop`` command: database, admins, demo data, pruning and the production server."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from shop_web.app import create_app
from shop_web.config import ConfigError
from shop_web.demo import seed_demo
from shop_web.server import ServeOptions, run, serve_options
from shopcore.bootstrap import UseCases
from shopcore.domain.errors import ShopError
from shopcore.use_cases.users import CreateAdminCommand


def _use_cases() -> UseCases:
    return current_app.extensions["shopcore"]  # type: ignore[no-any-return]


def _load_app() -> Flask:
    try:
        return create_app()
    except ConfigError as error:  # a clear message, not a traceback
        raise click.ClickException(str(error)) from error


@click.group(cls=FlaskGroup, create_app=_load_app, add_version_option=False)
def main() -> None:
    """Manage and serve the shop API."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create the schema or bring it up to date (Alembic migrations)."""
    _use_cases().upgrade_schema()
    click.echo("database schema is up to date")


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--first-name", default="Admin")
@click.option("--last-name", default="")
@with_appcontext
def create_admin(email: str, password: str, first_name: str, last_name: str) -> None:
    """Create an administrator account."""
    cmd = CreateAdminCommand(email, password, first_name, last_name)
    try:
        user = _use_cases().create_admin.execute(cmd)
    except ShopError as error:  # a taken email or a weak password: a message, not a traceback
        details = [f"{field}: {msg}" for field, msgs in error.errors.items() for msg in msgs
                   if msg != error.message]  # fmt: skip
        raise click.ClickException(" ".join([error.message, *details])) from error
    click.echo(f"admin {user.email} created (id {user.id})")


main.add_command(seed_demo)  # shop seed-demo


@main.command("prune")
@with_appcontext
def prune() -> None:
    """Delete expired and revoked logins and idempotency keys older than 24 hours.

    Safe to run from cron on every server at once: rows are deleted by age only.
    """
    result = _use_cases().prune.execute()
    click.echo(
        f"pruned {result.logins} logins (with their refresh tokens) "
        f"and {result.idempotency_keys} idempotency keys"
    )


@main.command("serve", with_appcontext=False)  # each gunicorn worker builds its own app
@serve_options
def serve(bind: tuple[str, ...], host: str, port: int, **options: Any) -> None:
    """Run the production server (gunicorn) on HOST:PORT."""
    try:
        run(ServeOptions(bind=bind or (f"{host}:{port}",), **options))
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
