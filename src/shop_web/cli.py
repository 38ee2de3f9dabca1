"""The ``shop`` command: database, admins, demo data, pruning and the production server.

Every command that builds the app checks every setting and connects to the database first: a
setting that cannot be used stops it with one line, ``shop: <what is wrong>``, and exit status 1.
"""

from __future__ import annotations

from typing import IO, Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, NoAppException, with_appcontext

from shop_web import config as shop_config
from shop_web.app import create_app
from shop_web.config import ConfigError
from shop_web.demo import seed_demo
from shop_web.server import ServeOptions, run, serve_options
from shopcore.bootstrap import UseCases
from shopcore.domain.errors import ShopError
from shopcore.use_cases.users import CreateAdminCommand


class SettingRefused(NoAppException):
    """A setting that stops ``shop``: one line on stderr, exit status 1, no traceback.

    A NoAppException, so that Flask's group also shows it in one line where it loads the app
    only to list commands (``shop --help``).
    """

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"shop: {self.format_message()}", err=True, file=file)


def _use_cases() -> UseCases:
    return current_app.extensions["shopcore"]  # type: ignore[no-any-return]


def _load_app() -> Flask:
    try:
        app = create_app()
        shop_config.check_database(app.config["DATABASE_URL"])
    except ConfigError as error:
        raise SettingRefused(str(error)) from None
    return app


HELP = """Manage and serve the shop API.

\b
Settings come from SHOP_* environment variables (and from FILE with -e FILE; variables
already set win). The development database, signing key and media live in the instance
folder: SHOP_INSTANCE_PATH when set, else the source checkout's instance/ when running from
one, else the user's data folder. `shop info` shows where it is.
"""


# load_dotenv=False: only the file given with -e is read, never a .env found from the current
# directory, so `shop` does the same wherever it is run from.
@click.group(
    cls=FlaskGroup, create_app=_load_app, add_version_option=False, load_dotenv=False, help=HELP
)
def main() -> None:
    pass


@main.command("info", with_appcontext=False)
def info() -> None:
    """Where the instance folder, database and media are, after checking every setting."""
    click.echo(f"instance folder: {shop_config.instance_path()}")
    try:
        config = shop_config.from_environment()
    except ConfigError as error:
        raise SettingRefused(str(error)) from None
    click.echo(f"environment:     {config['SHOP_ENV']}")
    click.echo(f"database:        {shop_config.check_database_url(config['DATABASE_URL'])}")
    click.echo(f"media:           {config['MEDIA_ROOT']}")


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create the schema or bring it up to date (Alembic migrations)."""
    _use_cases().upgrade_schema()
    click.echo("database schema is up to date")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does, in a few words.")
@with_appcontext
def db_revision(message: str) -> None:
    """Write a new migration: what the tables (shopcore's tables.py) have that the database,
    brought up to date first with `shop db upgrade`, lacks (Alembic autogenerate)."""
    try:
        written = _use_cases().write_migration(message)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {written.path}")
    if not written.operations:
        click.echo("the tables match the migrations: fill in upgrade() and downgrade() by hand")
    click.echo("review it, then `make fmt` and `shop db upgrade`")


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
        _check_before_serving()
        run(ServeOptions(bind=bind or (f"{host}:{port}",), **options))
    except ConfigError as error:
        raise SettingRefused(str(error)) from None


def _check_before_serving() -> None:
    """Every setting and the database, in this process, before gunicorn starts any worker (the
    master then builds the app once more, which checks the settings that combine)."""
    shop_config.check_database(shop_config.from_environment()["DATABASE_URL"])
