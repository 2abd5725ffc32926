"""重点督办: the key supervision list (issue 11, item 2)."""
