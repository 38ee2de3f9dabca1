"""Use cases: one class per action, each with ``execute(command) -> result``."""
