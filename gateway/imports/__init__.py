"""Bulk import of items from county systems: reading a CSV, XLSX or JSON file into rows, checking each
row, and the template to download. Plain code: the route is `gateway.routers.imports`."""
