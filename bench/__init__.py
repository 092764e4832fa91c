"""Benchmarks (not tests): `make bench` prints medians and 95th percentiles as one JSON object."""
