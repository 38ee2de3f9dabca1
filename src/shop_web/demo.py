"""``shop seed-demo``: a believable demo catalog, loaded through the use cases.

Users are made with the sign-up and create-admin use cases (six password hashes); products go in
through ``import_products``, one transaction per vendor, so the whole load takes seconds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

import click
from flask import current_app
from flask.cli import with_appcontext

from shop_web.demo_data import SELLERS, TREE, Shelf
from shopcore.bootstrap import UseCases
from shopcore.domain.errors import EmailTaken
from shopcore.domain.orders import OrderStatus, PaymentMethod, PaymentStatus, ShippingAddress
from shopcore.domain.users import Principal
from shopcore.use_cases.auth import RegisterCommand
from shopcore.use_cases.catalog_categories import NewCategory
from shopcore.use_cases.catalog_products import NewProduct
from shopcore.use_cases.order_management import StatusChangeCommand
from shopcore.use_cases.orders import OrderItem, PlaceOrderCommand
from shopcore.use_cases.users import CreateAdminCommand

PASSWORD = "demo-pass-2026"
ADMIN_EMAIL, CUSTOMER_EMAIL = "admin@demo.shop", "customer@demo.shop"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str = PASSWORD


@dataclass(frozen=True)
class DemoCatalog:
    """What was loaded; ``created`` is False when the demo data was already there."""

    created: bool
    accounts: tuple[DemoAccount, ...]
    principals: dict[str, Principal]  # by email, for adding demo orders on top
    product_slugs: tuple[str, ...] = ()
    category_count: int = 0


ACCOUNTS = (
    DemoAccount("admin", ADMIN_EMAIL),
    DemoAccount("customer", CUSTOMER_EMAIL),
    *(DemoAccount("vendor", seller.email) for seller in SELLERS),
)


def seed_catalog(shop: UseCases, *, seed: int = 2026, per_shelf: int = 18) -> DemoCatalog:
    """Load vendors, a customer, an admin, a category tree and ``per_shelf`` products per leaf.

    Refuses (returns ``created=False``, changing nothing) when the demo admin already exists.
    """
    try:
        admin = shop.create_admin.execute(
            CreateAdminCommand(ADMIN_EMAIL, PASSWORD, "Demo", "Admin")
        )
    except EmailTaken:
        return DemoCatalog(False, ACCOUNTS, {})
    assert admin.id is not None
    principals = {ADMIN_EMAIL: Principal(admin.id, admin.role)}
    principals.update(_register(shop, CUSTOMER_EMAIL, "Casey", "Customer", "customer"))
    for seller in SELLERS:
        principals.update(
            _register(shop, seller.email, seller.first_name, seller.last_name, "vendor")
        )
    shelves, categories = _categories(shop, principals[ADMIN_EMAIL])
    rng, slugs = random.Random(seed), []
    for seller in SELLERS:
        items = [
            _product(rng, shelf, category_id)
            for department in seller.departments
            for shelf, category_id in shelves[department]
            for _ in range(per_shelf)
        ]
        slugs += shop.import_products.execute(principals[seller.email], items)
    return DemoCatalog(True, ACCOUNTS, principals, tuple(slugs), categories)


def _register(shop: UseCases, email: str, first: str, last: str, role: str) -> dict[str, Principal]:
    user = shop.register_user.execute(RegisterCommand(email, PASSWORD, first, last, role=role)).user
    assert user.id is not None
    return {email: Principal(user.id, user.role)}


def _categories(shop: UseCases, admin: Principal) -> tuple[dict[str, list[tuple[Shelf, int]]], int]:
    """Create the tree; return each department's shelves with their category ids."""
    shelves: dict[str, list[tuple[Shelf, int]]] = {}
    count = 0
    for department, subs in TREE.items():
        top = shop.create_category.execute(admin, NewCategory(department, f"All of {department}."))
        count += 1
        for sub, leaves in subs.items():
            middle = shop.create_category.execute(admin, NewCategory(sub, "", top.id))
            count += 1
            for shelf in leaves:
                leaf_id = middle.id
                if shelf.name != sub:
                    leaf_id = shop.create_category.execute(
                        admin, NewCategory(shelf.name, "", middle.id)
                    ).id
                    count += 1
                shelves.setdefault(department, []).append((shelf, leaf_id))
    return shelves, count


def _product(rng: random.Random, shelf: Shelf, category_id: int) -> NewProduct:
    noun, low, high = rng.choice(shelf.nouns)
    name = f"{rng.choice(shelf.styles)} {noun}"
    if rng.random() < 0.5:
        name += " " + rng.choice(("Mini", "Plus", "Pro", "Classic", "Lite", "Max", "II", "S"))
    price = Decimal(rng.randint(low, high)) - Decimal("0.01")  # 49.99, 129.99...
    discount = None
    if rng.random() < 0.3:  # 10 to 30 percent off
        off = Decimal(rng.choice((70, 75, 80, 85, 90))) / 100
        discount = (price * off).quantize(Decimal("1")) - Decimal("0.01")
    stock = 0 if rng.random() < 0.12 else rng.randint(1, 120)
    sku = rng.randint(10000, 99999)
    description = shelf.blurb.format(noun=noun.lower()) + f" Item {sku}."
    active = rng.random() > 0.03  # a few retired products, visible to their vendor only
    return NewProduct(name, description, category_id, price, stock, discount, active)


# --- demo orders ---------------------------------------------------------------------------

# (status the order ends in, payment method, number of lines, payment marked paid by an admin)
DEMO_ORDERS = (
    ("pending", "card", 2, False),
    ("confirmed", "upi", 1, True),
    ("shipped", "card", 3, True),
    ("delivered", "cod", 2, False),  # cash on delivery: paid when delivered
    ("cancelled", "wallet", 1, False),  # cancelled by the customer: its stock went back
)
_STEPS = {
    "confirmed": ("confirmed",), "shipped": ("confirmed", "shipped"),
    "delivered": ("confirmed", "shipped", "delivered"),
}  # fmt: skip


def seed_orders(shop: UseCases, catalog: DemoCatalog) -> list[str]:
    """Place the demo customer's orders, one ending in each status, through the use cases (so
    stock, frozen prices and history are what real traffic leaves); return their numbers.

    Does nothing for a catalog that this run did not create.
    """
    if not catalog.created:
        return []
    customer, admin = catalog.principals[CUSTOMER_EMAIL], catalog.principals[ADMIN_EMAIL]
    shipping = ShippingAddress(
        "Casey Customer", "+1 555 0100", "12 Market Street", "Springfield", "12345", "US"
    )
    sellable = iter(_sellable(shop, admin, catalog.product_slugs))
    numbers = []
    for status, method, line_count, paid in DEMO_ORDERS:
        items = tuple(OrderItem(next(sellable), 1 + i % 2) for i in range(line_count))
        cmd = PlaceOrderCommand(shipping, PaymentMethod(method), items)
        number = shop.place_order.execute(customer, cmd).order_number
        if paid:
            payment = StatusChangeCommand(payment_status=PaymentStatus.PAID)
            shop.change_order_status.execute(admin, number, payment)
        for step in _STEPS.get(status, ()):
            move = StatusChangeCommand(status=OrderStatus(step))
            shop.change_order_status.execute(admin, number, move)
        if status == "cancelled":
            shop.cancel_order.execute(customer, number)
        numbers.append(number)
    return numbers


def _sellable(shop: UseCases, admin: Principal, slugs: tuple[str, ...]) -> list[str]:
    """Active products with a few units left, in catalog order (read as an admin, who also
    sees retired products, so none is missing)."""
    views = (shop.get_product.execute(slug, admin) for slug in slugs)
    return [view.slug for view in views if view.is_active and view.stock >= 3]


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load a demo catalog (vendors, categories, a few hundred products) and print the logins."""
    shop: UseCases = current_app.extensions["shopcore"]
    shop.upgrade_schema()
    result = seed_catalog(shop)
    if result.created:
        click.echo(
            f"Loaded {len(result.product_slugs)} products in {result.category_count} categories "
            f"from {len(SELLERS)} vendors."
        )
        click.echo(f"Placed {len(seed_orders(shop, result))} demo orders, one in each status.")
    else:
        click.echo(f"The demo data is already loaded ({ADMIN_EMAIL} exists); nothing was changed.")
    click.echo("\nSign in (POST /api/auth/login/) with:")
    for account in result.accounts:
        click.echo(f"  {account.role:<9} {account.email:<24} {account.password}")
