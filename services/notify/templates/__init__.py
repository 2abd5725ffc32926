"""Message templates per event type and channel: defaults in Simplified Chinese, divisions' own wording."""
