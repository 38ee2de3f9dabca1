"""The ``shop`` command: database, admins, demo data, pruning and the production server."""

from __future__ import annotations

import multiprocessing
import os

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from shop_web.app import create_app
from shopcore.bootstrap import UseCases
from shopcore.use_cases.users import CreateAdminCommand


def _use_cases() -> UseCases:
    return current_app.extensions["shopcore"]  # type: ignore[no-any-return]


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
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
    user = _use_cases().create_admin.execute(cmd)
    click.echo(f"admin {user.email} created (id {user.id})")


def default_workers() -> int:
    return 2 * multiprocessing.cpu_count() + 1


@main.command("serve")
@click.option(
    "--workers",
    "-w",
    type=int,
    default=lambda: int(os.environ.get("SHOP_WORKERS", 0)) or default_workers(),
    show_default="2 x cores + 1",
)
@click.option(
    "--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="$HOST or 127.0.0.1"
)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "8000")),
    show_default="$PORT or 8000",
)
@click.option(
    "--timeout",
    type=int,
    default=lambda: int(os.environ.get("SHOP_TIMEOUT", "30")),
    show_default="30",
)
def serve(workers: int, host: str, port: int, timeout: int) -> None:
    """Run the production server (gunicorn) on HOST:PORT."""
    from shop_web.server import run

    run(workers=workers, bind=f"{host}:{port}", timeout=timeout)
