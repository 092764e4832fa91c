"""Search: query understanding, ranking and the full-text backends, behind `directory.search.engine`."""
