"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): intake's public listing of items, the
standard's wire shapes, and how the one maps onto the other.

- A request is an item under its case number (`330481-2026-000123`), never its tracking code (the
  citizen's private key to the item) and never the citizen's contact.
- The services of a jurisdiction (a division code) are its item categories. A `service_code` stays
  the same whatever the order of the list: the national default categories have fixed English
  slugs (道路交通 → `road-traffic`); a category a division added gets `c-` and the first 10 hex
  digits of the SHA-256 of its name (加装电梯 → `c-` + 10 hex digits). An item without a category
  is under `other` (其他).
- `open` is every case status but `closed` and `merged` (handled as another item's case).
"""

import hashlib
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus, DivisionCode, Instant

CHINA = ZoneInfo("Asia/Shanghai")  # the times in the answers, with their offset
LISTING_MAX = 1000  # the most one answer holds, as the standard says
CASE_NUMBER_PATTERN = r"^\d{6}-\d{4}-\d{6}$"
CaseNumber = Annotated[str, Field(pattern=CASE_NUMBER_PATTERN, examples=["330481-2026-000123"])]


class Open311Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


CLOSED = frozenset({CaseStatus.CLOSED, CaseStatus.MERGED})


def open311_status(status: CaseStatus) -> Open311Status:
    return Open311Status.CLOSED if status in CLOSED else Open311Status.OPEN


def case_statuses(status: Open311Status) -> set[CaseStatus]:
    return {s for s in CaseStatus if open311_status(s) is status}


# ---- intake's public listing (the RPCs `public_requests` and `public_request`) ----


class RequestQuery(BaseModel):
    """Items of a division and the divisions below it, newest first. With `case_numbers`, just those
    items; `None` among `categories` stands for items without a category."""

    division_prefix: DivisionCode
    statuses: list[CaseStatus] | None = None
    categories: list[str | None] | None = None
    start: Instant | None = None
    end: Instant | None = None
    case_numbers: list[CaseNumber] | None = Field(default=None, max_length=100)
    limit: int = Field(default=LISTING_MAX, ge=1, le=LISTING_MAX)


class PublicRequest(BaseModel):
    """An item as anyone may see it in a listing: no tracking code, no contact, and the phone
    numbers, e-mail addresses and ID card numbers a citizen wrote into the text masked."""

    case_number: str
    division: str
    category: str | None = None
    content: str
    status: CaseStatus
    status_reason: str = ""
    lead_unit: UnitRef | None = None
    due_date: date | None = None
    submitted_at: datetime
    updated_at: datetime
    address: str | None = None
    lat: float | None = None
    long: float | None = None


# ---- the standard's shapes ----


class Service(BaseModel):
    service_code: str = Field(examples=["road-traffic"])
    service_name: str = Field(examples=["道路交通"])
    description: str = Field(
        examples=["道路、桥梁、公交站台、红绿灯、停车 (roads, bridges, bus stops, lights, parking)"]
    )
    metadata: bool = False
    type: Literal["realtime", "batch", "blackbox"] = "realtime"
    keywords: str = Field(examples=["道路,桥梁,公交,红绿灯,停车"])
    group: str = Field(examples=["城乡建设"])


class ServiceDefinition(BaseModel):
    """No service asks for extra attributes (`metadata` is false for all): the list is empty."""

    service_code: str = Field(examples=["road-traffic"])
    attributes: list[dict] = Field(default_factory=list)


class ServiceRequest(BaseModel):
    service_request_id: str = Field(examples=["330481-2026-000123"])
    status: Open311Status
    status_notes: str = Field(examples=["已交办 (assigned)"])
    service_name: str = Field(examples=["道路交通"])
    service_code: str = Field(examples=["road-traffic"])
    description: str = Field(examples=["文苑路公交站台的顶棚坏了，下雨天没法等车"])
    agency_responsible: str | None = Field(default=None, examples=["海宁市交通运输局"])
    service_notice: str = Field(examples=["办理期限 2026-12-14 (due by 2026-12-14)"])
    requested_datetime: str = Field(examples=["2026-11-23T10:00:00+08:00"])
    updated_datetime: str = Field(examples=["2026-11-23T10:00:02+08:00"])
    expected_datetime: str | None = Field(default=None, examples=["2026-12-14T23:59:59+08:00"])
    address: str | None = None
    lat: float | None = None
    long: float | None = None
    media_url: str | None = None


class RequestCreated(BaseModel):
    service_request_id: str = Field(examples=["330481-2026-000123"])
    service_notice: str
    account_id: None = None


class Open311Error(BaseModel):
    code: int = Field(examples=[404])
    description: str = Field(examples=["未知的服务 (service_code not found): pothole"])


# ---- mapping ----

DEFAULT_SERVICES = {
    # name: (code, description, keywords, group)
    "道路交通": (
        "road-traffic",
        "道路、桥梁、公交站台、红绿灯、停车 (roads, bridges, buses, parking)",
        "道路,桥梁,公交,红绿灯,停车",
        "城乡建设",
    ),
    "市政设施": (
        "municipal-facilities",
        "路灯、供水、排水、井盖、公园 (street lights, water, drains, parks)",
        "路灯,供水,排水,井盖,公园",
        "城乡建设",
    ),
    "环境保护": (
        "environment",
        "污水、噪音、垃圾、河道、扬尘 (sewage, noise, waste, rivers, dust)",
        "污水,噪音,垃圾,河道,扬尘",
        "生态环境",
    ),
    "教育": (
        "education",
        "学校、幼儿园、上学、校车 (schools, kindergartens, school buses)",
        "学校,幼儿园,上学,校车",
        "民生保障",
    ),
    "医疗卫生": (
        "health",
        "医院、卫生院、看病、疫苗 (hospitals, clinics, vaccines)",
        "医院,卫生院,看病,疫苗",
        "民生保障",
    ),
    "社会保障": (
        "social-security",
        "养老、低保、就业、社保 (pensions, welfare, jobs, insurance)",
        "养老,低保,就业,社保",
        "民生保障",
    ),
    "农业农村": (
        "agriculture",
        "农田、水利、村道、农产品 (farmland, irrigation, village roads)",
        "农田,水利,村道,农产品",
        "乡村振兴",
    ),
    "安全生产": (
        "work-safety",
        "安全隐患、消防、工地、危化品 (hazards, fire, building sites)",
        "隐患,消防,工地,危化品",
        "公共安全",
    ),
    "其他": ("other", "其他民情意见 (anything else)", "其他", "其他"),
}
UNCATEGORISED = "其他"


def service_code(category: str | None) -> str:
    if category is None:
        return DEFAULT_SERVICES[UNCATEGORISED][0]
    known = DEFAULT_SERVICES.get(category)
    return known[0] if known else "c-" + hashlib.sha256(category.encode()).hexdigest()[:10]


def service(category: str) -> Service:
    code, description, keywords, group = DEFAULT_SERVICES.get(
        category, (service_code(category), f"{category}方面的民情意见", category, "本地类别")
    )
    return Service(service_code=code, service_name=category, description=description, keywords=keywords, group=group)


def categories_of(codes: list[str], names: list[str]) -> tuple[list[str | None], list[str]]:
    """The categories among `names` (a division's list) that `codes` stand for, and the codes that
    stand for none; `other` also covers the items without a category."""
    by_code = {service_code(name): name for name in names}
    found: list[str | None] = []
    unknown = []
    for code in codes:
        if code in by_code:
            found.append(by_code[code])
        elif code != service_code(UNCATEGORISED):
            unknown.append(code)
        if code == service_code(UNCATEGORISED):
            found.extend([UNCATEGORISED, None])
    return list(dict.fromkeys(found)), unknown


STATUS_NOTES = {
    CaseStatus.RECEIVED: "已受理 (received)",
    CaseStatus.TRIAGED: "已分办 (triaged)",
    CaseStatus.ASSIGNED: "已交办 (assigned)",
    CaseStatus.ACCEPTED: "承办单位已签收，正在办理 (accepted, in hand)",
    CaseStatus.REPLIED: "已答复，待评价 (replied, awaiting evaluation)",
    CaseStatus.EVALUATED: "已评价 (evaluated)",
    CaseStatus.CLOSED: "已办结 (closed)",
    CaseStatus.RETURNED: "已退回重新分办 (returned for triage)",
    CaseStatus.REOPENED: "重新办理 (reopened)",
    CaseStatus.ESCALATED: "已提级督办 (escalated)",
    CaseStatus.MERGED: "已与同类事项合并办理 (merged with the same problem raised by others)",
}


def w3c(moment: datetime) -> str:
    """China Standard Time with its offset, to the second: 2026-11-23T10:00:00+08:00."""
    return moment.astimezone(CHINA).isoformat(timespec="seconds")


def end_of(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), CHINA).isoformat(timespec="seconds")


def notes(item: PublicRequest) -> str:
    label = STATUS_NOTES[item.status]
    reason = item.status_reason.strip()
    return f"{label}：{reason}" if reason and reason not in label else label


def notice(item: PublicRequest) -> str:
    if item.status in CLOSED:
        return "已办结，感谢您的反映 (closed; thank you)"
    if item.due_date:
        return f"办理期限 {item.due_date.isoformat()} (due by {item.due_date.isoformat()})"
    return "已受理，将按规定时限交办承办单位 (received; it goes to a handling unit within the set time)"


def service_request(item: PublicRequest) -> ServiceRequest:
    return ServiceRequest(
        service_request_id=item.case_number,
        status=open311_status(item.status),
        status_notes=notes(item),
        service_name=item.category or UNCATEGORISED,
        service_code=service_code(item.category),
        description=item.content,
        agency_responsible=item.lead_unit.name if item.lead_unit else None,
        service_notice=notice(item),
        requested_datetime=w3c(item.submitted_at),
        updated_datetime=w3c(item.updated_at),
        expected_datetime=end_of(item.due_date) if item.due_date else None,
        address=item.address,
        lat=item.lat,
        long=item.long,
    )
