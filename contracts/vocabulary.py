"""The domain's shared words: channels, case states, roles, division codes."""

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, PlainSerializer


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
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def division_code(value: str) -> str:
    if not DIVISION_CODE.match(value):
        raise ValueError("行政区划代码应为 6、9 或 12 位数字 (GB/T 2260 division code)")
    return value


DivisionCode = Annotated[
    str,
    AfterValidator(division_code),
    Field(json_schema_extra={"pattern": DIVISION_CODE.pattern}, examples=["330481001"]),
]
"""A county (6 digits), township (9) or village (12) code; the one way every contract checks it."""

EntityId = Annotated[str, Field(min_length=1, max_length=64, pattern=ENTITY_ID.pattern, examples=["hn-transport"])]
"""The id an administrator gives a unit, station or deputy: lower-case letters, digits, - and _."""


def fixed_width_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


Instant = Annotated[AwareDatetime, PlainSerializer(fixed_width_utc, return_type=str, when_used="json")]
"""A moment in UTC whose JSON form always has the same width, so the strings a store sorts sort as
time does (pydantic leaves out the fraction of a whole second). For the entities' stored fields."""


def division_prefix(code: str) -> str:
    """What the codes below a division start with. GB/T 2260 pads the upper levels with zeros: a
    province is XX0000 and a prefecture XXXX00, so 450000 (广西) covers every 45…, 450200 (柳州)
    every 4502…; a county's six digits and a township's longer code are their own prefix."""
    if len(code) == 6 and code.isdigit():
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


def within(code: str, scope: str) -> bool:
    """A principal scoped to `scope` sees that code and every code below it."""
    return code.startswith(division_prefix(scope))
