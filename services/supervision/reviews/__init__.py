"""回头看: follow-up reviews of promised and completed replies (issue 11, item 4)."""
