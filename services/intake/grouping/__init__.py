"""Near-duplicate groups (合并处置) and hot words (民情热词)."""
