"""The domain's shared words: channels, case states, roles, division codes."""

import re
from enum import StrEnum


class Channel(StrEnum):
    QR = "qr"
    WEB = "web"
    HOTLINE = "hotline"
    MAILBOX = "mailbox"
    STATION_VISIT = "station_visit"
    GRID_OFFICER = "grid_officer"
    VILLAGE_MEETING = "village_meeting"
    DEPUTY = "deputy"
    COUNTY_SYSTEM = "county_system"
    SESSION_SUGGESTION = "session_suggestion"


class CaseStatus(StrEnum):
    RECEIVED = "received"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    REPLIED = "replied"
    EVALUATED = "evaluated"
    CLOSED = "closed"
    RETURNED = "returned"
    REOPENED = "reopened"
    ESCALATED = "escalated"
    MERGED = "merged"


class Role(StrEnum):
    CITIZEN = "citizen"
    INFO_OFFICER = "info_officer"
    DEPUTY = "deputy"
    STATION = "station"
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    LEGISLATIVE_OFFICE = "legislative_office"
    CONTACT_POINT = "contact_point"
    COUNTY_SYSTEM = "county_system"
    ADMIN = "admin"


# GB/T 2260 county-level codes have 6 digits; township codes extend them to 9, villages to 12.
DIVISION_CODE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")


def within(code: str, scope: str) -> bool:
    """A principal scoped to `scope` sees that code and every code below it."""
    return code.startswith(scope)
