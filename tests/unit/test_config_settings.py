"""Every SHOP_* variable is parsed at start-up: a value that cannot be read is refused with one
line naming the variable and what is wrong, never ignored or read as a default (issue 10, 8)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from shop_web import config as shop_config
from shop_web.config import SETTINGS, ConfigError, default_instance, from_environment, instance_path

CHECKOUT = Path(shop_config.__file__).resolve().parents[2]


def refusal(env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        from_environment(env)
    return str(caught.value)


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [("SHOP_RATELIMIT_ANON", "lots", "expected a limit such as 100/day"),
     ("SHOP_RATELIMIT_USER", "100/fortnight", "expected a limit"),
     ("SHOP_RATELIMIT_LOGIN", "", "expected a limit"),
     ("SHOP_ACCESS_TOKEN_MINUTES", "abc", "expected a whole number from 1"),
     ("SHOP_ACCESS_TOKEN_MINUTES", "0", "expected a whole number from 1"),
     ("SHOP_ACCESS_TOKEN_MINUTES", "99999999999999", "expected a whole number from 1"),
     ("SHOP_REFRESH_TOKEN_DAYS", "-3", "expected a whole number from 1"),
     ("SHOP_REFRESH_TOKEN_DAYS", "7.5", "expected a whole number"),
     ("SHOP_MAX_UPLOAD_BYTES", "0", "at least 1"),
     ("SHOP_MAX_UPLOAD_BYTES", "5MiB", "expected a whole number"),
     ("SHOP_TRUSTED_PROXIES", "-1", "at least 0"),
     ("SHOP_LOW_STOCK_THRESHOLD", "few", "at least 0"),
     ("SHOP_CATALOG_CACHE_MB", "0", "at least 1"),
     ("SHOP_RATELIMIT_ENABLED", "maybe", "expected true or false"),
     ("SHOP_RATELIMIT_FAIL_CLOSED", "", "expected true or false"),
     ("SHOP_CORS_ALLOW_CREDENTIALS", "sometimes", "expected true or false"),
     ("SHOP_CATALOG_CACHE", "2", "expected true or false"),
     ("SHOP_ENV", "prod", "expected one of development, production"),
     ("SHOP_DATABASE_URL", "not a url", "not a database URL"),
     ("SHOP_DATABASE_URL", "mysql+pymysql://shop@db:port/shop", "not a database URL"),
     ("SHOP_DATABASE_URL", "oracle2://db/shop", "unknown database kind 'oracle2'"),
     ("SHOP_DATABASE_URL", "mysql+nodriver://db/shop", "unknown database kind"),
     ("SHOP_REDIS_URL", "http://cache:6379/0", "expected a Redis URL"),
     ("SHOP_REDIS_URL", "redis://cache:6379/one", "database number must be a whole number"),
     ("SHOP_RATELIMIT_STORAGE_URL", "redis:/cache", "expected memory:// or a Redis URL"),
     ("SHOP_RATELIMIT_STORAGE_URL", "memcache://cache", "expected memory:// or a Redis URL"),
     ("SHOP_RATELIMIT_STORAGE_URL", "redis://cache:port/0", "expected a Redis URL"),
     ("SHOP_CORS_ORIGINS", "https://a.example/", "is not an origin"),
     ("SHOP_CORS_ORIGINS", "https://a.example, a.example", "'a.example' is not an origin"),
     ("SHOP_MEDIA_ROOT", "", "expected a folder"),
     ("SHOP_INSTANCE_PATH", " ", "expected a folder")],
)  # fmt: skip
def test_a_setting_that_cannot_be_read_is_refused_with_one_line_naming_it(
    variable: str, value: str, reason: str
) -> None:
    message = refusal({variable: value})

    assert message.startswith(f"{variable}={value!r}: ")
    assert reason in message and "\n" not in message


def test_a_folder_setting_that_names_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "media").write_text("not a folder")

    message = refusal({"SHOP_MEDIA_ROOT": str(tmp_path / "media")})

    assert message.startswith("SHOP_MEDIA_ROOT=") and "it is a file" in message


@pytest.mark.parametrize(
    "variable", ["SHOP_DATABASE_URL", "SHOP_REDIS_URL", "SHOP_RATELIMIT_STORAGE_URL"]
)
def test_a_refused_url_never_shows_its_password(variable: str) -> None:
    message = refusal({variable: "redis+mysql://shop:hunter2@db:port/x"})

    assert "hunter2" not in message and "shop:***@db" in message


def test_a_database_url_whose_driver_is_not_installed_is_refused() -> None:
    message = refusal({"SHOP_DATABASE_URL": "mssql+pymssql://shop:pw@db/shop"})

    assert message.startswith("SHOP_DATABASE_URL='mssql+pymssql://shop:***@db/shop': ")
    assert "the driver of mssql+pymssql is not installed" in message


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True),
    ("false", False), ("False", False), ("0", False), ("no", False), (" off ", False),
])  # fmt: skip
def test_booleans_accept_the_usual_words_for_yes_and_no(value: str, expected: bool) -> None:
    assert from_environment({"SHOP_RATELIMIT_ENABLED": value})["RATELIMIT_ENABLED"] is expected


def test_well_formed_values_of_every_kind_are_read() -> None:
    config = from_environment(
        {"SHOP_RATELIMIT_ANON": "10/minute;500/hour", "SHOP_RATELIMIT_USER": "5 per second",
         "SHOP_RATELIMIT_STORAGE_URL": "redis://cache:6379/2", "SHOP_REDIS_URL": "rediss://:pw@c/1",
         "SHOP_DATABASE_URL": "mysql+pymysql://shop:pw@db:3306/shop?charset=utf8mb4",
         "SHOP_CORS_ORIGINS": "https://a.example, http://localhost:3000, *",
         "SHOP_ACCESS_TOKEN_MINUTES": " 15 ", "SHOP_TRUSTED_PROXIES": "0", "SHOP_ENV": "production"}
    )  # fmt: skip

    assert config["RATELIMIT_ANON"] == "10/minute;500/hour"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"
    assert config["DATABASE_URL"] == "mysql+pymysql://shop:pw@db:3306/shop?charset=utf8mb4"
    assert config["CORS_ORIGINS"] == ["https://a.example", "http://localhost:3000", "*"]
    assert (config["ACCESS_TOKEN_MINUTES"], config["TRUSTED_PROXIES"]) == (15, 0)


def test_every_setting_is_declared_once() -> None:
    variables = [setting.variable for setting in SETTINGS]
    keys = [setting.key for setting in SETTINGS]

    assert len(set(variables)) == len(variables) and len(set(keys)) == len(keys)
    assert all(variable.startswith("SHOP_") for variable in variables)


# --- the instance folder ------------------------------------------------------------------------


def test_the_instance_folder_does_not_depend_on_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert instance_path({}) == CHECKOUT / "instance"  # running from this source checkout
    config = from_environment({})
    assert config["DATABASE_URL"] == f"sqlite:///{CHECKOUT / 'instance' / 'shop.sqlite3'}"
    assert config["MEDIA_ROOT"] == str(CHECKOUT / "instance" / "media")


def test_outside_a_source_checkout_the_instance_folder_is_the_users_data_folder(
    tmp_path: Path,
) -> None:
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "shop_web"
    installed.mkdir(parents=True)

    assert default_instance(installed) == Path(platformdirs.user_data_dir("shop"))


def test_shop_instance_path_moves_the_database_the_key_and_the_media(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    config = from_environment({"SHOP_INSTANCE_PATH": "state"})  # relative: to the current folder

    assert config["INSTANCE_PATH"] == str(tmp_path / "state")
    assert instance_path({"SHOP_INSTANCE_PATH": "state"}) == tmp_path / "state"
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'state' / 'shop.sqlite3'}"
    assert config["MEDIA_ROOT"] == str(tmp_path / "state" / "media")
