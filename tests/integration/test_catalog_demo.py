"""``shop seed-demo`` and the seed_catalog function behind it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from shop_web.cli import main
from shop_web.demo import ADMIN_EMAIL, CUSTOMER_EMAIL, PASSWORD, seed_catalog
from tests.integration.conftest import Api


def test_the_demo_catalog_is_believable_and_browsable(api: Api) -> None:
    shop = api.client.application.extensions["shopcore"]

    result = seed_catalog(shop)

    assert result.created and 250 <= len(result.product_slugs) <= 400
    categories = api.get("/api/categories/").get_json()
    assert len(categories) == result.category_count >= 15
    assert sum(c["parent"] is not None for c in categories) >= 10
    page = api.get("/api/products/?category=electronics&ordering=-price&page_size=100").get_json()
    assert page["count"] > 50
    prices = [item["final_price"] for item in page["results"]]
    assert prices == sorted(prices, key=float, reverse=True)
    everything = api.get("/api/products/?page_size=100").get_json()
    assert everything["count"] < len(result.product_slugs)  # a few are retired (inactive)
    assert api.get("/api/products/?in_stock=false").get_json()["count"] > 0
    assert api.get("/api/products/?search=kettle").get_json()["count"] > 0
    vendors = {item["vendor"]["name"] for item in everything["results"]}
    assert len(vendors) >= 2


def test_the_printed_accounts_can_sign_in(api: Api) -> None:
    result = seed_catalog(api.client.application.extensions["shopcore"])

    roles = {}
    for account in result.accounts:
        login = api.post("/api/auth/login/", {"email": account.email, "password": account.password})
        assert login.status_code == 200, account
        roles[account.email] = login.get_json()["user"]["role"]
    assert roles[ADMIN_EMAIL] == "admin" and roles[CUSTOMER_EMAIL] == "customer"
    assert sorted(roles.values()).count("vendor") == 4


def test_seeding_twice_changes_nothing(api: Api) -> None:
    shop = api.client.application.extensions["shopcore"]
    seed_catalog(shop)
    count = api.get("/api/products/").get_json()["count"]

    again = seed_catalog(shop)

    assert not again.created and again.product_slugs == ()
    assert api.get("/api/products/").get_json()["count"] == count


def test_the_command_prints_the_credentials(tmp_path: Path) -> None:
    env = {
        "SHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "SHOP_SECRET_KEY": "demo-test-secret-key-of-at-least-32-bytes",
        "SHOP_MEDIA_ROOT": str(tmp_path / "media"),
    }

    first = CliRunner().invoke(main, ["seed-demo"], env=env)
    second = CliRunner().invoke(main, ["seed-demo"], env=env)

    assert first.exit_code == 0, first.output
    assert "Loaded" in first.output and ADMIN_EMAIL in first.output and PASSWORD in first.output
    assert second.exit_code == 0 and "already loaded" in second.output
    assert CUSTOMER_EMAIL in second.output
