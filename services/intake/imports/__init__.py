"""Bulk import of items from county systems (CSV, XLSX, JSON)."""
