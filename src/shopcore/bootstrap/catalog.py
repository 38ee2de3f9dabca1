"""Categories, products and their images."""

from __future__ import annotations

from shopcore.bootstrap.wiring import Wiring
from shopcore.use_cases import (
    catalog_browse,
    catalog_categories,
    catalog_edits,
    catalog_images,
    catalog_products,
)


class CatalogUseCases(Wiring):
    """Categories, products and their images."""

    @property
    def list_categories(self) -> catalog_categories.ListCategories:
        return catalog_categories.ListCategories(uow=self._uow(read_only=True))

    @property
    def get_category(self) -> catalog_categories.GetCategory:
        return catalog_categories.GetCategory(uow=self._uow(read_only=True))

    @property
    def create_category(self) -> catalog_categories.CreateCategory:
        return catalog_categories.CreateCategory(
            uow=self._uow(), clock=self.clock, slugger=self.slugger
        )

    @property
    def update_category(self) -> catalog_categories.UpdateCategory:
        return catalog_categories.UpdateCategory(uow=self._uow())

    @property
    def delete_category(self) -> catalog_categories.DeleteCategory:
        return catalog_categories.DeleteCategory(uow=self._uow())

    @property
    def list_products(self) -> catalog_browse.ListProducts:
        return catalog_browse.ListProducts(uow=self._uow(read_only=True))

    @property
    def get_product(self) -> catalog_browse.GetProduct:
        return catalog_browse.GetProduct(uow=self._uow(read_only=True))

    @property
    def create_product(self) -> catalog_products.CreateProduct:
        return catalog_products.CreateProduct(
            uow=self._uow(), clock=self.clock, slugger=self.slugger
        )

    @property
    def import_products(self) -> catalog_products.ImportProducts:
        return catalog_products.ImportProducts(
            uow=self._uow(), clock=self.clock, slugger=self.slugger
        )

    @property
    def update_product(self) -> catalog_edits.UpdateProduct:
        return catalog_edits.UpdateProduct(uow=self._uow(), clock=self.clock)

    @property
    def delete_product(self) -> catalog_edits.DeleteProduct:
        return catalog_edits.DeleteProduct(uow=self._uow(), clock=self.clock, storage=self.storage)

    @property
    def add_product_image(self) -> catalog_images.AddProductImage:
        return catalog_images.AddProductImage(
            uow=self._uow(), images=self.images, storage=self.storage, clock=self.clock
        )

    @property
    def delete_product_image(self) -> catalog_images.DeleteProductImage:
        return catalog_images.DeleteProductImage(uow=self._uow(), storage=self.storage)
