"""Requests for an assessment made from a guide's result, and the staff queue that answers them."""
