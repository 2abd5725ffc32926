"""Formal deputy suggestions (代表建议) and their pre-review (联合预审)."""
