"""The benchmark behind ``make bench`` (issue 7): see run.py."""
