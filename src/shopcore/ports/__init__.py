"""Abstract ports the use cases depend on; adapters implement them."""
