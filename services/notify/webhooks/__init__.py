"""County systems' webhook subscriptions (issue 13, item 5): saved, verified by an echoed challenge, listed."""
