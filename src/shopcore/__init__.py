"""shopcore: the marketplace's business rules, usable without HTTP.

Start from :func:`shopcore.bootstrap.bootstrap`, which wires the use cases to SQLAlchemy (given a
database URL) or to in-memory adapters.
"""
