"""Adapters: implementations of the ports with real libraries (and in-memory ones)."""
