"""Opinions listed by division for public answers (Open311 requests), never with personal data."""
