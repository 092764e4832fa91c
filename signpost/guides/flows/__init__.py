"""The question flows, each defined as data in its own module."""
