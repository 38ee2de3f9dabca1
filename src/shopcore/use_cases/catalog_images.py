"""Product images: verified, re-encoded, stored with a thumbnail, removed without orphans.

Image work happens outside any database transaction: the upload is processed and written to
storage first, then recorded in a short transaction; if that fails, the new files are removed.
"""

from __future__ import annotations

import uuid

from shopcore.domain.catalog import MAX_IMAGES_PER_PRODUCT, ProductImage
from shopcore.domain.errors import ImageNotFound, RuleViolation
from shopcore.domain.users import Principal
from shopcore.ports.catalog_queries import ImageView
from shopcore.ports.security import Clock
from shopcore.ports.storage import FileStorage, ImageProcessor, ProcessedImage
from shopcore.ports.unit_of_work import UnitOfWork
from shopcore.use_cases.catalog import managed_product


def _check_room(uow: UnitOfWork, product_id: int) -> list[ProductImage]:
    images = uow.images.list_for_product(product_id)
    if len(images) >= MAX_IMAGES_PER_PRODUCT:
        message = f"A product has at most {MAX_IMAGES_PER_PRODUCT} images."
        raise RuleViolation(message, errors={"image": [message]})
    return images


class AddProductImage:
    """The product's vendor or an admin uploads a JPEG, PNG or WebP image."""

    def __init__(
        self, *, uow: UnitOfWork, images: ImageProcessor, storage: FileStorage, clock: Clock
    ):
        self.uow, self.images, self.storage, self.clock = uow, images, storage, clock

    def execute(self, principal: Principal, slug: str, data: bytes) -> ImageView:
        with self.uow as uow:  # refuse early, before any image work, who may not add one
            product = managed_product(uow, slug, principal)
            assert product.id is not None
            _check_room(uow, product.id)
        processed = self.images.process(data)
        names = self._store(product.id, processed)
        try:
            image = self._record(principal, slug, names, processed)
        except BaseException:
            for name in names:
                self.storage.delete(name)
            raise
        assert image.id is not None
        return ImageView(image.id, *names, image.width, image.height, image.position)

    def _store(self, product_id: int, processed: ProcessedImage) -> tuple[str, str]:
        stem = f"products/{product_id}/{uuid.uuid4().hex}"
        names = (f"{stem}.{processed.extension}", f"{stem}_thumb.{processed.extension}")
        self.storage.save(names[0], processed.data)
        try:
            self.storage.save(names[1], processed.thumbnail)
        except BaseException:
            self.storage.delete(names[0])
            raise
        return names

    def _record(
        self, principal: Principal, slug: str, names: tuple[str, str], processed: ProcessedImage
    ) -> ProductImage:
        with self.uow as uow:  # the product may have changed while the image was processed
            product = managed_product(uow, slug, principal)
            assert product.id is not None
            existing = _check_room(uow, product.id)
            position = max((i.position for i in existing), default=-1) + 1
            image = ProductImage(
                product.id, *names, processed.width, processed.height, position, self.clock.now()
            )
            uow.images.add(image)
            uow.commit()
        return image


class DeleteProductImage:
    """The product's vendor or an admin removes an image; both of its files go too."""

    def __init__(self, *, uow: UnitOfWork, storage: FileStorage):
        self.uow, self.storage = uow, storage

    def execute(self, principal: Principal, slug: str, image_id: int) -> None:
        with self.uow as uow:
            product = managed_product(uow, slug, principal)
            image = uow.images.get(image_id)
            if image is None or image.product_id != product.id:
                raise ImageNotFound()
            uow.images.delete(image_id)
            uow.commit()
        self.storage.delete(image.path)
        self.storage.delete(image.thumbnail_path)
