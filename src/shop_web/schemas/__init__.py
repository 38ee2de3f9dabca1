"""Marshmallow schemas: the request and response shapes of the HTTP contract."""
