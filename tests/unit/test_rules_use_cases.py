"""Rules of the use cases that the other unit tests left unstated (found by `make mutation`)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shopcore.adapters.memory.catalog import MemoryProductRepository
from shopcore.domain.clock import as_utc
from shopcore.domain.errors import IllegalTransition, ProductOrdered, RuleViolation
from shopcore.domain.orders import (
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ShippingAddress,
)
from shopcore.domain.users import User
from shopcore.use_cases.catalog_categories import CategoryChanges
from shopcore.use_cases.catalog_edits import ProductChanges
from shopcore.use_cases.catalog_products import NewProduct
from shopcore.use_cases.orders import OrderItem, PlaceOrderCommand
from tests.unit.catalog_helpers import Catalog

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


# --- the idempotency fingerprint is stored, so its canonical form is part of the contract -------


def test_the_request_fingerprint_is_the_sha256_of_its_sorted_compact_unescaped_json() -> None:
    shipping = ShippingAddress("Zoë Lee", "+1", "1 Main St", "Pune", "411001", "IN")
    cmd = PlaceOrderCommand(shipping, PaymentMethod.CARD, (OrderItem("tea", 2),), "key-1")

    canonical = (
        '{"items":[{"product":"tea","quantity":2}],"payment_method":"card",'
        '"shipping":{"address_line1":"1 Main St","address_line2":"","city":"Pune",'
        '"country":"IN","full_name":"Zoë Lee","phone":"+1","postal_code":"411001","state":""}}'
    )
    assert cmd.fingerprint() == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_fingerprint_of_a_cart_checkout_has_no_items() -> None:
    shipping = ShippingAddress("Ann", "+1", "1 Main St", "Pune", "411001", "IN")
    cmd = PlaceOrderCommand(shipping, PaymentMethod.COD)

    canonical = (
        '{"items":null,"payment_method":"cod","shipping":{"address_line1":"1 Main St",'
        '"address_line2":"","city":"Pune","country":"IN","full_name":"Ann","phone":"+1",'
        '"postal_code":"411001","state":""}}'
    )
    assert cmd.fingerprint() == hashlib.sha256(canonical.encode()).hexdigest()


# --- orders --------------------------------------------------------------------------------


def _order(*lines: OrderLine, status: OrderStatus = OrderStatus.PENDING) -> Order:
    shipping = ShippingAddress("Ann", "+1", "1 Main St", "Pune", "411001", "IN")
    return Order("ORD-1", 1, PaymentMethod.CARD, shipping, NOW, NOW, list(lines), status=status)


def test_the_vendor_view_of_an_order_ships_free_and_totals_only_its_lines() -> None:
    mine = OrderLine(1, 7, "tea", "Tea", Decimal("2.50"), 2)
    theirs = OrderLine(2, 8, "pot", "Pot", Decimal("30.00"), 1)
    order = _order(mine, theirs)
    order.shipping_cost = Decimal("5.00")

    view = order.for_vendor(7)

    assert view.lines == [mine]
    assert (view.subtotal, view.shipping_cost, view.total) == (
        Decimal("5.00"), Decimal("0.00"), Decimal("5.00"),
    )  # fmt: skip
    assert order.for_vendor(9).subtotal == Decimal("0.00")


def test_a_refused_payment_change_names_the_payment_status_field() -> None:
    order = _order(OrderLine(1, 7, "tea", "Tea", Decimal("2.50"), 1))

    with pytest.raises(IllegalTransition) as caught:
        order.change(None, NOW, payment_status=PaymentStatus.REFUNDED)  # type: ignore[arg-type]

    assert caught.value.errors == {"payment_status": ["Not allowed from unpaid."]}
    assert order.payment_status is PaymentStatus.UNPAID and order.history == []


def test_the_payment_of_a_cancelled_order_cannot_change() -> None:
    order = _order(OrderLine(1, 7, "tea", "Tea", Decimal("2.50"), 1), status=OrderStatus.CANCELLED)

    with pytest.raises(IllegalTransition) as caught:
        order.change(None, NOW, payment_status=PaymentStatus.PAID)  # type: ignore[arg-type]

    assert list(caught.value.errors) == ["payment_status"]


# --- profiles ------------------------------------------------------------------------------


def test_a_profile_update_trims_every_field_and_refuses_a_blank_last_name() -> None:
    user = User("ann@example.com", "x", "Ann", "Lee", NOW)

    user.update_profile(first_name=" Anna ", last_name=" Li ", phone=" +1 5 ", address=" Home ")

    assert (user.first_name, user.last_name, user.phone, user.address) == (
        "Anna", "Li", "+1 5", "Home",
    )  # fmt: skip
    with pytest.raises(RuleViolation) as caught:
        user.update_profile(last_name="   ")
    assert caught.value.errors == {"last_name": ["Must not be blank."]}


def test_naive_times_are_taken_as_utc_and_aware_ones_converted_to_utc() -> None:
    assert as_utc(datetime(2026, 1, 1, 12, 0)) == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    plus_two = timezone(timedelta(hours=2))
    converted = as_utc(datetime(2026, 1, 1, 12, 0, tzinfo=plus_two))
    assert converted.tzinfo is UTC and converted.hour == 10


# --- catalog -------------------------------------------------------------------------------


def test_renaming_a_category_names_the_name_field_when_it_is_blank(harness) -> None:
    catalog = Catalog(harness)
    kitchen = catalog.category("Kitchen")

    renamed = harness.shop.update_category.execute(
        catalog.admin, kitchen.id, CategoryChanges(name="  Cook  Ware ")
    )
    assert renamed.name == "Cook Ware" and renamed.slug == kitchen.slug
    with pytest.raises(RuleViolation) as caught:
        harness.shop.update_category.execute(catalog.admin, kitchen.id, CategoryChanges(name=" "))
    assert caught.value.errors == {"name": ["Must not be blank."]}


def test_moving_a_category_under_another_keeps_its_name(harness) -> None:
    catalog = Catalog(harness)
    home, kitchen = catalog.category("Home"), catalog.category("Kitchen")

    moved = harness.shop.update_category.execute(
        catalog.admin, kitchen.id, CategoryChanges(parent_id=home.id)
    )

    assert (moved.name, moved.parent_id) == ("Kitchen", home.id)
    assert harness.store.tables["categories"][kitchen.id].parent_id == home.id


def test_renaming_a_product_to_a_blank_name_names_the_name_field(harness) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")

    with pytest.raises(RuleViolation) as caught:
        harness.shop.update_product.execute(catalog.vendor, pot.slug, ProductChanges(name=" "))

    assert caught.value.errors == {"name": ["Must not be blank."]}


def test_setting_a_discount_replaces_the_old_one(harness) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot", price="10.00", discount_price="9.00")

    changed = harness.shop.update_product.execute(
        catalog.vendor, pot.slug, ProductChanges(discount_price=Decimal("7.50"))
    )

    assert (changed.discount_price, changed.final_price) == (Decimal("7.50"), Decimal("7.50"))


def test_imported_products_belong_to_the_importer_and_carry_the_clock_time(harness) -> None:
    catalog = Catalog(harness)
    kitchen = catalog.category("Kitchen").id

    slugs = harness.shop.import_products.execute(
        catalog.vendor, [NewProduct("Pot", "", kitchen, Decimal("5"), 1)]
    )

    stored = catalog.stored(slugs[0])
    assert (stored.vendor_id, stored.created_at) == (catalog.vendor.user_id, harness.clock.now())


def test_after_an_order_races_the_erase_the_product_is_deactivated_not_erased_again(
    harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog(harness)
    catalog.product("Pot")
    harness.clock.advance(hours=1)

    def ordered_every_time(self: MemoryProductRepository, product_id: int) -> None:
        raise ProductOrdered()

    monkeypatch.setattr(MemoryProductRepository, "delete", ordered_every_time)
    monkeypatch.setattr(MemoryProductRepository, "has_order_lines", lambda self, pid: False)

    harness.shop.delete_product.execute(catalog.vendor, "pot")

    stored = catalog.stored("pot")
    assert stored.is_active is False and stored.updated_at == harness.clock.now()


def test_deleting_an_ordered_product_asks_about_that_product(harness) -> None:
    catalog = Catalog(harness)
    ordered, other = catalog.product("Pot"), catalog.product("Pan")
    line = SimpleNamespace(product_id=ordered.id)
    harness.store.tables["orders"][1] = SimpleNamespace(id=1, lines=[line])

    harness.shop.delete_product.execute(catalog.vendor, "pot")
    harness.shop.delete_product.execute(catalog.vendor, "pan")

    assert catalog.stored("pot").is_active is False
    assert other.id not in harness.store.tables["products"]


# --- reviews -------------------------------------------------------------------------------


def test_editing_a_review_changes_its_title_and_comment_and_keeps_its_rating(harness) -> None:
    from shopcore.use_cases.reviews import ReviewChanges, ReviewInput
    from tests.unit.reviews_helpers import Seed

    seed = Seed(harness)
    tea = seed.product(harness.register("vendor@example.com", "vendor"), "green-tea")
    buyer = harness.register("buyer@example.com")
    seed.order(buyer, (tea, 1))
    posted = harness.shop.post_review.execute(buyer, "green-tea", ReviewInput(4, "Fine.", "Ok"))
    harness.clock.advance(minutes=5)

    edited = harness.shop.edit_review.execute(
        buyer, posted.id, ReviewChanges(title=" Great ", comment=" Lovely. ")
    )

    assert (edited.rating, edited.title, edited.comment) == (4, "Great", "Lovely.")
    assert edited.updated_at == harness.clock.now() != edited.created_at


# --- analytics windows ----------------------------------------------------------------------


def test_a_sales_window_of_dates_runs_from_midnight_utc_to_the_midnight_after_the_end() -> None:
    from datetime import date

    from shopcore.use_cases.analytics import sales_window

    window = sales_window(date(2026, 3, 1), date(2026, 3, 2))

    assert (window.start, window.end) == (
        datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC),
    )  # fmt: skip


def test_a_sales_window_of_instants_ends_one_microsecond_after_the_end() -> None:
    from shopcore.use_cases.analytics import sales_window

    start, end = datetime(2026, 3, 1, 8, 30), datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    window = sales_window(start, end)

    assert window.start == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    assert window.end == end + timedelta(microseconds=1)


def test_a_window_ending_on_the_last_day_of_the_calendar_is_refused_under_to() -> None:
    from datetime import date

    from shopcore.use_cases.analytics import sales_window

    with pytest.raises(RuleViolation) as caught:
        sales_window(None, date(9999, 12, 31))

    message = "Out of the range of supported dates (years 1 to 9999, in UTC)."
    assert caught.value.errors == {"to": [message]}


def test_a_window_of_one_instant_is_accepted_and_one_that_ends_before_it_starts_is_not() -> None:
    from shopcore.use_cases.analytics import sales_window

    instant = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert sales_window(instant, instant).end == instant + timedelta(microseconds=1)
    with pytest.raises(RuleViolation) as caught:
        sales_window(instant, instant - timedelta(microseconds=1))
    assert list(caught.value.errors) == ["from"]


# --- slugs ---------------------------------------------------------------------------------


def test_an_all_digit_product_name_keeps_its_digits_as_slug_unlike_a_category(harness) -> None:
    catalog = Catalog(harness)

    assert catalog.product("2024").slug == "2024"
    assert catalog.category("1999").slug == "category-1999"


def test_a_slug_clash_is_tried_as_often_as_the_retry_policy_allows_before_the_conflict(
    harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopcore.bootstrap.retry import RetryPolicy
    from shopcore.domain.errors import SlugTaken

    catalog = Catalog(harness)
    category = catalog.category("Kitchen").id
    tries: list[str] = []

    def always_taken(self: MemoryProductRepository, product: object) -> None:
        tries.append("add")
        raise SlugTaken()

    monkeypatch.setattr(MemoryProductRepository, "add", always_taken)

    with pytest.raises(SlugTaken):
        catalog.product("Pot", category_id=category)
    assert len(tries) == RetryPolicy().attempts


# --- sign-in timing ------------------------------------------------------------------------


def test_an_unknown_email_checks_the_given_password_against_the_decoy_hash(
    harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopcore.domain.errors import InvalidCredentials
    from shopcore.use_cases.auth import LogInCommand

    checked: list[tuple[str, str]] = []
    verify = harness.hasher.verify

    def recording(password_hash: str, password: str) -> bool:
        checked.append((password_hash, password))
        return verify(password_hash, password)

    monkeypatch.setattr(harness.hasher, "verify", recording)

    with pytest.raises(InvalidCredentials):
        harness.shop.log_in.execute(LogInCommand("nobody@example.com", "a-guess-123"))

    assert checked == [(harness.hasher.decoy_hash(), "a-guess-123")]


def test_the_clock_helper_tells_the_time_in_utc() -> None:
    from shopcore.domain.clock import utcnow

    assert utcnow().tzinfo is UTC


# --- names, logins, carts and analytics defaults ---------------------------------------------


def test_a_reviewer_without_a_name_is_shown_as_customer() -> None:
    from shopcore.domain.reviews import public_name

    assert public_name(" ", "") == "Customer"
    assert public_name("Ann", "") == "Ann"


def test_a_login_is_live_until_just_before_it_expires_and_not_at_that_instant() -> None:
    from shopcore.domain.users import Login

    login = Login("l1", 1, NOW, NOW + timedelta(days=7))

    assert login.is_live(NOW + timedelta(days=7) - timedelta(microseconds=1))
    assert not login.is_live(NOW + timedelta(days=7))
    login.revoked_at = NOW
    assert not login.is_live(NOW)


def test_the_cart_lists_lines_in_the_order_they_were_first_added(harness) -> None:
    from tests.unit.orders_helpers import add_product

    vendor, buyer = harness.register("v@example.com", "vendor"), harness.register()
    add_product(harness, vendor, "apple")
    add_product(harness, vendor, "pear")
    harness.shop.add_to_cart.execute(buyer, "pear", 1)
    harness.clock.advance(seconds=1)
    cart = harness.shop.add_to_cart.execute(buyer, "apple", 1)

    assert [item.product.slug for item in cart.items] == ["pear", "apple"]
    assert cart.user_id == buyer.user_id


def test_vendor_analytics_used_directly_count_five_units_or_fewer_as_low_stock(harness) -> None:
    from shopcore.use_cases.analytics import AnalyticsQuery, ShowVendorAnalytics
    from tests.unit.orders_helpers import add_product

    vendor = harness.register("v@example.com", "vendor")
    add_product(harness, vendor, "five", stock=5)
    add_product(harness, vendor, "six", stock=6)

    report = ShowVendorAnalytics(uow=harness.uow()).execute(vendor, AnalyticsQuery())

    assert [level.slug for level in report.low_stock] == ["five"]


# --- new products and images ------------------------------------------------------------------


def test_a_new_product_with_a_blank_name_is_refused_under_name(harness) -> None:
    catalog = Catalog(harness)

    with pytest.raises(RuleViolation) as caught:
        catalog.product("   ")

    assert caught.value.errors == {"name": ["Must not be blank."]}


def test_a_new_product_is_created_and_updated_at_the_clock_time(harness) -> None:
    catalog = Catalog(harness)
    harness.clock.advance(hours=2)

    pot = catalog.product("Tea Pot")

    assert (pot.created_at, pot.updated_at) == (harness.clock.now(), harness.clock.now())


def test_a_new_image_is_recorded_at_the_clock_time(harness) -> None:
    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")
    harness.clock.advance(minutes=3)

    harness.shop.add_product_image.execute(catalog.vendor, pot.slug, b"IMG:64x48:png")

    (image,) = harness.store.tables["product_images"].values()
    assert image.created_at == harness.clock.now()


def test_a_long_product_name_leaves_room_in_its_slug_for_a_ten_digit_number(harness) -> None:
    from shopcore.domain.catalog import PRODUCT_SLUG_MAX

    catalog = Catalog(harness)
    category = catalog.category("Kitchen").id

    name = "\ufb00" * 200  # the ligature "ﬀ": a 200-character name, a 400-letter slug
    first = catalog.product(name, category_id=category).slug
    second = catalog.product(name, category_id=category).slug

    room = len("-") + 10
    assert first == "f" * (PRODUCT_SLUG_MAX - room)
    assert second == first + "-2"


def test_looking_up_a_visible_product_locks_it_only_when_asked(harness) -> None:
    from shopcore.use_cases.catalog import visible_product

    catalog = Catalog(harness)
    pot = catalog.product("Tea Pot")
    harness.store.locks.clear()

    with harness.uow() as uow:
        assert visible_product(uow, pot.slug, None).id == pot.id
        assert harness.store.locks == []
        assert visible_product(uow, pot.slug, None, lock=True).id == pot.id
        assert harness.store.locks == [("products", pot.id)]


# --- categories and slug allocation -----------------------------------------------------------


def test_a_new_category_with_a_blank_name_is_refused_under_name(harness) -> None:
    catalog = Catalog(harness)

    with pytest.raises(RuleViolation) as caught:
        catalog.category("  ")

    assert caught.value.errors == {"name": ["Must not be blank."]}


def test_a_new_category_is_created_at_the_clock_time(harness) -> None:
    catalog = Catalog(harness)
    harness.clock.advance(days=1)

    kitchen = catalog.category("Kitchen")

    assert harness.store.tables["categories"][kitchen.id].created_at == harness.clock.now()


def test_when_a_whole_batch_of_candidates_is_taken_the_next_batch_is_tried() -> None:
    from shopcore.adapters.memory.slugs import AsciiSlugger
    from shopcore.use_cases.catalog import allocate_slug

    taken = {"pot"} | {f"pot-{n}" for n in range(2, 21)}  # the first twenty candidates

    slug = allocate_slug(
        AsciiSlugger(), "Pot", max_length=50, fallback="product",
        taken=lambda batch: taken & set(batch),
    )  # fmt: skip

    assert slug == "pot-21"


def test_a_cut_slug_loses_only_its_trailing_dashes() -> None:
    from shopcore.domain.text import slug_candidates

    candidates = slug_candidates("TAX-X-", 6)

    assert [next(candidates) for _ in range(2)] == ["TAX-X", "TAX-2"]


def test_a_placed_order_keeps_its_shipping_and_both_of_its_times() -> None:
    shipping = ShippingAddress("Ann", "+1", "1 Main St", "Pune", "411001", "IN")
    line = OrderLine(1, 7, "tea", "Tea", Decimal("2.50"), 2)

    order = Order.place(
        order_number="ORD-9", user_id=1, lines=[line], shipping=shipping,
        payment_method=PaymentMethod.UPI, by=None, at=NOW,  # type: ignore[arg-type]
    )  # fmt: skip

    assert (order.shipping, order.created_at, order.updated_at) == (shipping, NOW, NOW)
    assert [change.at for change in order.history] == [NOW]


def test_a_status_change_is_recorded_at_its_time_and_an_illegal_one_names_status() -> None:
    order = _order(OrderLine(1, 7, "tea", "Tea", Decimal("2.50"), 1))
    later = NOW + timedelta(hours=1)

    order.change(None, later, status=OrderStatus.CONFIRMED)  # type: ignore[arg-type]

    assert (order.updated_at, order.history[-1].at) == (later, later)
    with pytest.raises(IllegalTransition) as caught:
        order.change(None, later, status=OrderStatus.DELIVERED)  # type: ignore[arg-type]
    assert caught.value.errors == {"status": ["Not allowed from confirmed."]}


def test_an_admin_status_change_is_stamped_with_the_clock_time_and_the_admins_name(
    harness,
) -> None:
    from shopcore.use_cases.order_management import StatusChangeCommand
    from tests.unit.orders_helpers import add_product, place

    vendor, buyer = harness.register("v@example.com", "vendor"), harness.register()
    add_product(harness, vendor, "tea")
    order = place(harness, buyer, ("tea", 1))
    admin = harness.admin()
    harness.clock.advance(hours=3)

    changed = harness.shop.change_order_status.execute(
        admin, order.order_number, StatusChangeCommand(status=OrderStatus.CONFIRMED)
    )

    assert changed.updated_at == harness.clock.now()
    assert (changed.history[-1].at, changed.history[-1].by.name) == (harness.clock.now(), "Admin")


# --- placing orders: retries, numbers, keys ---------------------------------------------------


@pytest.fixture
def tea_shop(harness):
    from tests.unit.orders_helpers import add_product

    vendor, buyer = harness.register("v@example.com", "vendor"), harness.register()
    add_product(harness, vendor, "tea")
    return harness, buyer


def test_a_key_claimed_by_a_twin_that_never_shows_its_order_is_retried_by_the_policy(
    tea_shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopcore.adapters.memory.orders import MemoryIdempotencyRepository
    from shopcore.bootstrap.retry import RetryPolicy
    from shopcore.domain.errors import ServiceBusy
    from tests.unit.orders_helpers import place

    harness, buyer = tea_shop
    claims: list[str] = []

    def lost_claim(self: MemoryIdempotencyRepository, record: object) -> bool:
        claims.append("claim")
        return False

    monkeypatch.setattr(MemoryIdempotencyRepository, "claim", lost_claim)

    with pytest.raises(ServiceBusy):
        place(harness, buyer, ("tea", 1), key="k-1")
    assert len(claims) == RetryPolicy().attempts


def test_an_order_number_is_drawn_five_times_at_most_before_giving_up(
    tea_shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopcore.adapters.memory.orders import MemoryOrderRepository
    from shopcore.domain.errors import ServiceBusy
    from tests.unit.orders_helpers import place

    harness, buyer = tea_shop
    asked: list[str] = []

    def always_taken(self: MemoryOrderRepository, number: str) -> bool:
        asked.append(number)
        return True

    monkeypatch.setattr(MemoryOrderRepository, "number_taken", always_taken)

    with pytest.raises(ServiceBusy):
        place(harness, buyer, ("tea", 1))
    assert len(asked) == 5 == len(set(asked))


def test_an_idempotency_key_is_stored_with_the_time_of_its_order(tea_shop) -> None:
    from tests.unit.orders_helpers import SHIPPING, place

    harness, buyer = tea_shop
    harness.clock.advance(hours=5)

    order = place(harness, buyer, ("tea", 1), key="k-2")

    (record,) = harness.store.tables["idempotency_keys"].values()
    assert (record.created_at, record.order_number) == (harness.clock.now(), order.order_number)
    assert order.shipping == SHIPPING


def test_checking_out_an_empty_cart_names_the_items(tea_shop) -> None:
    from shopcore.domain.errors import EmptyOrder
    from tests.unit.orders_helpers import place

    harness, buyer = tea_shop

    with pytest.raises(EmptyOrder) as caught:
        place(harness, buyer, from_cart=True)

    assert caught.value.errors == {"items": ["The order has no items (and the cart is empty)."]}


def test_a_bad_quantity_is_reported_under_quantity_by_default() -> None:
    from shopcore.domain.orders import check_quantity

    with pytest.raises(RuleViolation) as caught:
        check_quantity(0)

    assert list(caught.value.errors) == ["quantity"]


def test_an_admin_made_by_create_admin_joined_at_the_clock_time(harness) -> None:
    from shopcore.use_cases.users import CreateAdminCommand

    harness.clock.advance(days=2)

    admin = harness.shop.create_admin.execute(CreateAdminCommand("ops@example.com", "s3cret-pass"))

    assert admin.date_joined == harness.clock.now()
    assert harness.store.tables["users"][admin.id].date_joined == harness.clock.now()


def test_a_sign_up_opens_a_login_and_tokens_stamped_with_the_clock_time(harness) -> None:
    from shopcore.use_cases.auth import RegisterCommand

    harness.clock.advance(hours=1)
    now = harness.clock.now()

    session = harness.shop.register_user.execute(
        RegisterCommand("ann@example.com", "s3cret-pass", "Ann", "Lee")
    )

    (login,) = harness.store.tables["logins"].values()
    assert isinstance(login.id, str) and login.id.startswith("id")
    assert (login.created_at, login.expires_at) == (now, now + timedelta(days=7))
    (refresh_row,) = harness.store.tables["refresh_tokens"].values()
    assert refresh_row.expires_at == now + timedelta(days=7)
    issued = harness.shop.minter.tokens.issued
    access, refresh = issued[session.access], issued[session.refresh]
    assert (access.issued_at, access.expires_at) == (now, now + timedelta(hours=1))
    assert (refresh.issued_at, refresh.login_id) == (now, login.id)


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_signing_up_with_a_blank_name_is_refused_under_that_name(harness, field: str) -> None:
    from shopcore.use_cases.auth import RegisterCommand

    names = {"first_name": "Ann", "last_name": "Lee", field: "   "}

    with pytest.raises(RuleViolation) as caught:
        harness.shop.register_user.execute(
            RegisterCommand(
                "ann@example.com", "s3cret-pass", names["first_name"], names["last_name"]
            )
        )

    assert caught.value.errors == {field: ["Must not be blank."]}
    assert harness.store.tables["users"] == {}
