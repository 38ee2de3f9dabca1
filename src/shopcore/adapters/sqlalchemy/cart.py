"""The SQL repository of cart lines."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from shopcore.adapters.sqlalchemy.catalog import product_from_row
from shopcore.domain.cart import CartItem, CartLine
from shopcore.ports.orders import CartRepository

from .tables import cart_items, products, users


class SqlCartRepository(CartRepository):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def items(self, user_id: int) -> list[CartItem]:
        stmt = (
            select(products, cart_items.c.quantity)
            .join(cart_items, cart_items.c.product_id == products.c.id)
            .where(cart_items.c.user_id == user_id)
            .order_by(cart_items.c.added_at, cart_items.c.product_id)
        )
        rows = self.conn.execute(stmt).all()
        return [CartItem(product_from_row(row), row._mapping["quantity"]) for row in rows]

    def get(self, user_id: int, product_id: int) -> CartLine | None:
        # A locking read: two concurrent adds of one product queue here (or, when the line does
        # not exist yet, one of them gets a deadlock on InnoDB's gap locks and is retried), so
        # the second add always merges into the first instead of failing on the primary key.
        self._lock_owner(user_id)
        stmt = (
            select(cart_items)
            .where(cart_items.c.user_id == user_id, cart_items.c.product_id == product_id)
            .with_for_update()
        )
        row = self.conn.execute(stmt).first()
        return None if row is None else CartLine(**row._mapping)

    def lock(self, user_id: int) -> None:
        # A locking read takes no snapshot (InnoDB's REPEATABLE READ snapshot comes with the
        # first plain read), so the plain reads after it see the cart as the checkout or change
        # it waited for left it. Next-key locks also hold back new lines of this user.
        self._lock_owner(user_id)
        stmt = select(cart_items.c.product_id).where(cart_items.c.user_id == user_id)
        self.conn.execute(stmt.with_for_update()).all()

    def _lock_owner(self, user_id: int) -> None:
        """PostgreSQL's form of InnoDB's next-key locks on the user's cart lines: it locks no
        gaps, so a line that does not exist yet is locked by locking its owner's row. Every
        cart change and checkout of one user then queues here, and READ COMMITTED lets each
        statement after the wait see what the one before committed. NO KEY UPDATE still lets
        foreign-key checks on the user (new orders, logins) through."""
        if self.conn.dialect.name == "postgresql":
            stmt = select(users.c.id).where(users.c.id == user_id).with_for_update(key_share=True)
            self.conn.execute(stmt).first()

    def put(self, line: CartLine) -> None:
        where = (cart_items.c.user_id == line.user_id, cart_items.c.product_id == line.product_id)
        # rowcount counts matched rows, also on MySQL (SQLAlchemy connects with FOUND_ROWS), so
        # rewriting the same quantity is not mistaken for a missing line.
        matched = self.conn.execute(
            update(cart_items).where(*where).values(quantity=line.quantity)
        ).rowcount
        if matched == 0:
            self.conn.execute(insert(cart_items).values(vars(line)))

    def remove(self, user_id: int, product_id: int) -> bool:
        stmt = delete(cart_items).where(
            cart_items.c.user_id == user_id, cart_items.c.product_id == product_id
        )
        return self.conn.execute(stmt).rowcount > 0

    def clear(self, user_id: int) -> None:
        self.conn.execute(delete(cart_items).where(cart_items.c.user_id == user_id))
