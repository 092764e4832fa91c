"""Directory curation: the editors' pages under /staff/directory (views, form, form ⇄ listing mapping, templates)."""
