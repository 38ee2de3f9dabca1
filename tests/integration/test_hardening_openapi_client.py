"""A Python client generated from /openapi.json (openapi-python-client) talks to the real app.

The client is generated into a temporary folder, imported, and pointed at the WSGI app
through httpx's WSGI transport: its models must parse the real answers (a required property
missing from an answer is a KeyError there), and its calls must reach the right routes.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.integration.hardening_openapi_helpers import document
from tests.integration.orders_helpers import SHIPPING

PACKAGE = "shop_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The generated package's parent folder, on ``sys.path`` while this module runs."""
    folder = tmp_path_factory.mktemp("generated")
    (folder / "openapi.json").write_text(json.dumps(document()))
    # No post hooks: the generator would otherwise run ruff over the generated code.
    (folder / "config.json").write_text(json.dumps({"post_hooks": []}))
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate",
         "--path", str(folder / "openapi.json"), "--config", str(folder / "config.json"),
         "--meta", "none", "--output-path", str(folder / PACKAGE)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _client(app: Any, token: str | None = None) -> Any:
    """A generated client whose requests go straight to ``app``."""
    package = _module("client")
    options = {
        "base_url": "http://localhost",
        "raise_on_unexpected_status": True,  # an undocumented status fails the test
        "httpx_args": {"transport": httpx.WSGITransport(app=app)},
    }
    if token is None:
        return package.Client(**options)
    return package.AuthenticatedClient(token=token, **options)


def test_the_generated_client_has_one_module_per_operation_id(generated):
    products = generated / PACKAGE / "api" / "products"

    assert (products / "list_products.py").is_file()
    assert (generated / PACKAGE / "api" / "orders" / "place_order.py").is_file()
    assert not list(products.glob("*api_products*"))  # not named after method and path


def test_a_generated_client_registers_sells_and_buys_with_typed_answers(generated, app, api):
    models = _module("models")
    admin, customer = api.token("admin"), api.token("customer")
    registration = models.Register(
        email="vera@example.com", password="s3cret-pass", first_name="Vera",
        last_name="Vendor", role=models.RegisterRole.VENDOR,
    )  # fmt: skip
    vendor = _module("api.auth.register_user").sync(client=_client(app), body=registration)
    category = _module("api.categories.create_category").sync(
        client=_client(app, admin), body=models.CategoryCreate(name="Teaware")
    )
    created = _module("api.products.create_product").sync(
        client=_client(app, vendor.access),
        body=models.ProductWrite(name="Tea Tin", description="Airtight.", category=category.id,
                                 price="12.50", stock=4),
    )  # fmt: skip
    page = _module("api.products.list_products").sync(client=_client(app), search="tin")
    buyer = _client(app, customer)
    cart = _module("api.cart.add_cart_item").sync(
        client=buyer, body=models.CartAdd(product=created.slug, quantity=2)
    )
    order = _module("api.orders.place_order").sync(
        client=buyer,
        body=models.PlaceOrder(shipping=models.Shipping.from_dict(SHIPPING),
                               payment_method=models.PlaceOrderPaymentMethod.COD),
    )  # fmt: skip
    again = _module("api.orders.get_order").sync(order_number=order.order_number, client=buyer)

    assert isinstance(vendor, models.Session) and vendor.user.role == models.UserRole.VENDOR
    assert isinstance(created, models.Product) and created.vendor.name == "Vera Vendor"
    assert [product.slug for product in page.results] == [created.slug]
    assert cart.total == "25.00" and cart.items[0].product.slug == created.slug
    assert isinstance(order, models.Order) and order.status == models.OrderStatus.PENDING
    assert [(line.product, line.unit_price) for line in again.items] == [(created.slug, "12.50")]
    assert again.shipping.city == SHIPPING["city"]


def test_a_generated_client_revalidates_a_catalog_read_with_its_etag(generated, app):
    list_products = _module("api.products.list_products")
    first = list_products.sync_detailed(client=_client(app))

    second = list_products.sync_detailed(client=_client(app), if_none_match=first.headers["ETag"])

    assert first.status_code == 200 and first.parsed.count == 0
    assert second.status_code == 304 and second.parsed is None
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]


def test_a_generated_client_gets_documented_errors_as_error_models(generated, app):
    models = _module("models")

    answer = _module("api.orders.get_order").sync_detailed(
        order_number="ORD-NOPE", client=_client(app, "not-a-token")
    )

    assert answer.status_code == 401
    assert isinstance(answer.parsed, models.Error) and answer.parsed.code == 401
