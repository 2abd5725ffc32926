"""The citizen's contact for one notice, handed to notify at the moment it sends (never in an event)."""
