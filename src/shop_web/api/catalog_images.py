"""Product images: uploaded and removed by the product's vendor or an admin."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from shop_web.api.base import Blueprint, current_principal, use_cases
from shop_web.schemas import catalog as s
from shop_web.uploads import read_upload

blp = Blueprint(
    "product_images", __name__, url_prefix="/api/products",
    description="Product images, served under /media/.",
)  # fmt: skip

_FORBIDDEN = "Neither the product's vendor nor an admin"


@blp.route("/<slug>/images/")
class ProductImages(MethodView):
    @blp.doc(operationId="uploadProductImage")
    @blp.authenticated()
    @blp.arguments(s.ImageUploadSchema, location="files")
    @blp.response(201, s.ImageSchema)
    @blp.alt_response(403, response="FORBIDDEN", description=_FORBIDDEN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(413, response="PAYLOAD_TOO_LARGE")
    @blp.alt_response(
        422,
        response="UNPROCESSABLE_ENTITY",
        description="Not an image, too many pixels, or 10 images already",
    )
    def post(self, files: dict[str, Any], slug: str) -> Any:
        """Upload a product image (JPEG, PNG or WebP)

        The file's content decides its format, whatever its name says. It is re-encoded without
        metadata (EXIF, GPS, ICC profiles; the EXIF orientation is applied first) and gets a
        thumbnail of at most 320x320. A product has at most 10 images.
        """
        data = read_upload(files["image"])
        return use_cases().add_product_image.execute(current_principal(), slug, data)


@blp.route("/<slug>/images/<int:image_id>/")
class ProductImage(MethodView):
    @blp.doc(operationId="deleteProductImage")
    @blp.authenticated()
    @blp.response(204)
    @blp.alt_response(403, response="FORBIDDEN", description=_FORBIDDEN)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, slug: str, image_id: int) -> None:
        """Delete a product image and both of its files"""
        use_cases().delete_product_image.execute(current_principal(), slug, image_id)
