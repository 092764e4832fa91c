"""Guided help: pure-Python calculators and their dated rates (no Flask)."""
