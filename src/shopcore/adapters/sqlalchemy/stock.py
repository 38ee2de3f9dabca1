"""The SQL repository of stock levels: conditional UPDATEs, never read-then-write."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from shopcore.ports.orders import StockRepository

from .catalog_version import STOCK_ONLY
from .tables import products

_STOCK_ONLY = {STOCK_ONLY: True}


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
        """Leaving some stock is a stock-only write (the catalog version stays); taking the
        last units sells the product out, which lists filtered by ``in_stock`` must see."""
        stmt = update(products).values(stock=products.c.stock - quantity)
        leaves_some = stmt.where(products.c.id == product_id, products.c.stock > quantity)
        if self.conn.execute(leaves_some.execution_options(**_STOCK_ONLY)).rowcount == 1:
            return True
        sells_out = stmt.where(products.c.id == product_id, products.c.stock == quantity)
        return self.conn.execute(sells_out).rowcount == 1

    def put_back(self, product_id: int, quantity: int) -> None:
        stmt = update(products).values(stock=products.c.stock + quantity)
        in_stock = stmt.where(products.c.id == product_id, products.c.stock > 0)
        if self.conn.execute(in_stock.execution_options(**_STOCK_ONLY)).rowcount == 0:
            self.conn.execute(stmt.where(products.c.id == product_id))  # back in stock

    def level(self, product_id: int) -> int:
        # FOR UPDATE reads the latest committed value, not this transaction's snapshot.
        stmt = select(products.c.stock).where(products.c.id == product_id).with_for_update()
        stock = self.conn.execute(stmt).scalar_one_or_none()
        return 0 if stock is None else int(stock)
