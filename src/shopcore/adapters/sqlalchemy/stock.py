"""The SQL repository of stock levels: conditional UPDATEs, never read-then-write."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from shopcore.ports.orders import StockRepository

from .tables import products


class SqlStockRepository(StockRepository):
    """Stock changes are single conditional UPDATEs checked by their row count.

    Why not read the stock and then write it back: between the read and the write another buyer
    can take the same units (on SQLite's snapshot or InnoDB's REPEATABLE READ snapshot the read
    is stale), and writing back ``stock - q`` then loses their decrement and oversells. The
    ``UPDATE ... SET stock = stock - :q WHERE id = :id AND stock >= :q`` instead reads the latest
    committed row, locks it, checks and changes it in one step (InnoDB's UPDATE is a current
    read, not a snapshot read; PostgreSQL's UPDATE, under READ COMMITTED, waits for a
    concurrent writer of the row and then checks its WHERE again on the row that writer
    committed; SQLite runs writers one at a time), so there is neither a lost update nor a
    read-then-write race, on every database, with no extra locking query. Callers
    take the rows of one order in ascending product id order, so two orders always lock shared
    products in the same order and cannot deadlock each other.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def take(self, product_id: int, quantity: int) -> bool:
        stmt = (
            update(products)
            .where(products.c.id == product_id, products.c.stock >= quantity)
            .values(stock=products.c.stock - quantity)
        )
        return self.conn.execute(stmt).rowcount == 1

    def put_back(self, product_id: int, quantity: int) -> None:
        stmt = update(products).where(products.c.id == product_id)
        self.conn.execute(stmt.values(stock=products.c.stock + quantity))

    def level(self, product_id: int) -> int:
        # FOR UPDATE reads the latest committed value, not this transaction's snapshot.
        stmt = select(products.c.stock).where(products.c.id == product_id).with_for_update()
        stock = self.conn.execute(stmt).scalar_one_or_none()
        return 0 if stock is None else int(stock)
