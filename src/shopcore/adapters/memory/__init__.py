"""In-memory adapters: for unit tests and for using shopcore without a database."""
