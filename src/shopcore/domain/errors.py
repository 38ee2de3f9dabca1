"""Domain errors.

Every error is a subclass of one of five categories; the web layer maps a category to an HTTP
status in one place, so messages here never mention HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ShopError(Exception):
    """Base of every error the core raises on purpose."""

    default_message = "The request could not be completed."

    def __init__(
        self, message: str | None = None, *, errors: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.message = message or self.default_message
        self.errors = {field: list(msgs) for field, msgs in (errors or {}).items()}
        super().__init__(self.message)


class NotFound(ShopError):
    default_message = "Not found."


class Conflict(ShopError):
    default_message = "The request conflicts with the current state."


class RuleViolation(ShopError):
    """Well-formed input that breaks a business rule."""

    default_message = "The input breaks a rule."


class AuthenticationFailed(ShopError):
    default_message = "Authentication failed."


class PermissionDenied(ShopError):
    default_message = "You are not allowed to do this."


# --- accounts -------------------------------------------------------------------------------


class UserNotFound(NotFound):
    default_message = "User not found."


class EmailTaken(Conflict):
    default_message = "A user with this email already exists."


class InvalidCredentials(AuthenticationFailed):
    default_message = "Invalid email or password."


class InvalidToken(AuthenticationFailed):
    default_message = "The token is invalid, expired or revoked."


# --- catalog --------------------------------------------------------------------------------


class CategoryNotFound(NotFound):
    default_message = "Category not found."


class ProductNotFound(NotFound):
    default_message = "Product not found."


class ImageNotFound(NotFound):
    default_message = "Image not found."


class CategoryInUse(Conflict):
    default_message = "The category still holds products or sub-categories."


class InvalidImage(RuleViolation):
    default_message = "The file is not a valid JPEG, PNG or WebP image."


class SlugTaken(Conflict):
    """Raised by repositories when a concurrent writer took the slug first."""

    default_message = "Another item took this slug at the same moment; please try again."


class ProductOrdered(Conflict):
    """Raised by the repository when a product cannot be erased because orders hold it."""

    default_message = "The product has been ordered, so it cannot be erased."


# --- cart and orders ------------------------------------------------------------------------


class OrderNotFound(NotFound):
    default_message = "Order not found."


class OutOfStock(Conflict):
    default_message = "Not enough stock."


class IllegalTransition(Conflict):
    default_message = "This status change is not allowed."


class IdempotencyKeyReused(Conflict):
    default_message = "This Idempotency-Key was already used with a different request."


class EmptyOrder(RuleViolation):
    default_message = "The order has no items."


class ProductUnavailable(RuleViolation):
    """A request names a product that does not exist or is no longer sold."""

    default_message = "This product is not available."


class CartLineNotFound(NotFound):
    default_message = "This product is not in your cart."


class TemporarilyUnavailable(ShopError):
    """A sixth category: the request was fine but could not be served right now (the database
    kept reporting deadlocks or lock timeouts after every retry). Clients should retry soon."""

    default_message = "The service is busy; please try again in a moment."


class ServiceBusy(TemporarilyUnavailable):
    default_message = "The shop is busy right now; please try again in a moment."


# --- reviews --------------------------------------------------------------------------------


class ReviewNotFound(NotFound):
    default_message = "Review not found."


class DuplicateReview(Conflict):
    default_message = "You have already reviewed this product."


class NotPurchased(PermissionDenied):
    default_message = "Only customers with a delivered order of this product may review it."
