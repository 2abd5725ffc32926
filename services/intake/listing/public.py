"""What an item shows in a public listing: its case number and progress, and its text with the
phone numbers, e-mail addresses and ID card numbers a citizen may have written into it masked.
Plain functions over the stored fields; no contact field is ever read."""

import re

from contracts.intake.open311 import PublicRequest

MASK = "***"
SENSITIVE = [
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),  # e-mail
    re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])"),  # 居民身份证
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"),  # mobile, 138 1234 5678 too
    re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"),  # fixed line with its area code
]
FIELDS = ("case_number", "division", "category", "content", "status", "lead_unit", "due_date", "submitted_at")
PROJECTION = {**dict.fromkeys(FIELDS, 1), "location": 1, "history": {"$slice": -1}}
"""The stored fields a listing reads (the latest step of the history only): never the contact."""


def masked(text: str) -> str:
    for pattern in SENSITIVE:
        text = pattern.sub(MASK, text)
    return text


def public_request(doc: dict) -> PublicRequest:
    """A stored opinion, read with PROJECTION, as the public sees it."""
    latest = (doc.get("history") or [{}])[-1]
    location = doc.get("location") or {}
    return PublicRequest(
        **{name: doc.get(name) for name in FIELDS if name != "content"},
        content=masked(doc["content"]),
        status_reason=latest.get("reason", ""),
        updated_at=latest.get("at") or doc["submitted_at"],
        address=location.get("address"),
        lat=location.get("lat"),
        long=location.get("long"),
    )
