"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) for county apps and existing civic apps.

The standard's paths, field names, formats (`.json`, `.xml`) and error list (`[{"code": 404,
"description": "…"}]` under that HTTP status) are kept exactly, so existing clients work unchanged:
every failure on these routes, bad parameters included, is answered by `Open311Route`, never as
problem+json. `jurisdiction_id` is a division code; how items and categories map onto requests and
services is in `contracts.intake.open311`.
"""

import json
import logging
import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from starlette.exceptions import HTTPException
from starlette.routing import Match
from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError, field_path
from contracts.intake.open311 import (
    CASE_NUMBER_PATTERN,
    CHINA,
    Open311Error,
    Open311Status,
    RequestCreated,
    RequestQuery,
    Service,
    ServiceDefinition,
    ServiceRequest,
    case_statuses,
    categories_of,
    service,
    service_request,
)
from contracts.intake.opinions import CONTENT_MAX, CountySystemDetails, Location, SubmitOpinion
from contracts.vocabulary import DIVISION_CODE, Channel, DivisionCode, Role, within
from gateway.auth import actor_of
from gateway.broker import ServiceUnavailable
from gateway.deps import ApiKeys, Divisions, Intake, PlatformDep
from gateway.problems import ANSWER_TO, Problem
from gateway.routers.opinions import new_tracking_code
from infra.clock import utc_now
from infra.pii import normalise_phone

log = logging.getLogger(__name__)

SUBMITTERS = frozenset({Role.COUNTY_SYSTEM, Role.STATION, Role.ADMIN})
WINDOW = timedelta(days=90)  # the standard's default and longest period of a listing
CASE_NUMBER = re.compile(CASE_NUMBER_PATTERN)
ROOTS = {"service": "services", "request": "service_requests", "error": "errors"}


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


class Open311Failure(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# ---- answers, in either format ----


def xml_text(value) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None or isinstance(value, list) else str(value)


def render(fmt: Format, item: str, rows: list[BaseModel] | BaseModel, status: int = 200) -> Response:
    """A list of `rows` (or one object), as JSON or as the standard's XML (`<services><service>…`)."""
    many = isinstance(rows, list)
    data = [row.model_dump(mode="json") for row in rows] if many else rows.model_dump(mode="json")
    if fmt is Format.JSON:
        return Response(json.dumps(data, ensure_ascii=False), status, media_type="application/json")
    top = Element(ROOTS[item] if many else item)
    for row in data if many else [data]:
        node = SubElement(top, item) if many else top
        for name, value in row.items():
            SubElement(node, name).text = xml_text(value)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(top, encoding="unicode")
    return Response(body, status, media_type="text/xml")


def failure(request: Request, status: int, description: str) -> Response:
    fmt = Format.XML if request.url.path.endswith(".xml") else Format.JSON
    return render(fmt, "error", [Open311Error(code=status, description=description)], status)


def invalid_parameters(error: RequestValidationError) -> str:
    named = []
    for item in error.errors():
        field = field_path(tuple(p for p in item["loc"] if p not in ("body", "query", "path"))) or "body"
        named.append(f"{field}: {item['msg']}")
    return "参数不合法 (invalid parameters): " + "; ".join(named)


def answer_for(request: Request, error: Exception) -> Response:
    """The standard's error list for whatever went wrong on an Open311 route."""
    if isinstance(error, Open311Failure):
        return failure(request, error.status, error.description)
    if isinstance(error, RequestValidationError):
        return failure(request, 400, invalid_parameters(error))
    if isinstance(error, ServiceError):
        status = ANSWER_TO[error.code][0]
        return failure(request, 400 if status in (409, 422) else status, error.detail)
    if isinstance(error, Problem):
        return failure(request, error.status, f"{error.title} ({error.detail})")
    if isinstance(error, HTTPException):
        return failure(request, error.status_code, str(error.detail))
    if isinstance(error, ServiceUnavailable):
        return failure(request, 503, f"服务暂不可用 (service unavailable): {error}")
    cid = getattr(request.state, "correlation_id", "-")
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return failure(request, 500, f"服务器内部错误，请提供关联编号 {cid} (internal error; quote this correlation id)")


class Open311Route(APIRoute):
    """A route whose every failure is the standard's error list with its HTTP status."""

    def get_route_handler(self):
        handle = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handle(request)
            except Exception as error:  # each kind becomes the standard's answer
                return answer_for(request, error)

        return answer


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)


def open311_errors(*statuses: int) -> dict:
    meaning = {
        400: "参数缺失或不合法 / a parameter is missing or invalid",
        403: "api_key 缺失、无效，或无权在该辖区提交 / api_key missing, invalid, or not allowed here",
        404: "未知的 jurisdiction_id、service_code 或 service_request_id / not found",
        503: "服务暂不可用 / a service is unavailable",
    }
    return {s: {"model": list[Open311Error], "description": meaning[s]} for s in statuses}


FormatParam = Annotated[Format, Path(description="json 或 xml / the answer's format")]
Jurisdiction = Annotated[
    str | None,
    Query(pattern=DIVISION_CODE.pattern, description="行政区划代码 / the division code", examples=["330481"]),
]


async def served(jurisdiction_id: str | None, divisions) -> str:
    if not jurisdiction_id:
        raise Open311Failure(400, "缺少 jurisdiction_id（行政区划代码，如 330481）(jurisdiction_id is required)")
    if await divisions.get(jurisdiction_id) is None:
        raise Open311Failure(404, f"未知的 jurisdiction_id {jurisdiction_id} (jurisdiction_id not found)")
    return jurisdiction_id


async def category_names(intake, division: str) -> list[str]:
    return (await intake.categories(division)).names


@router.get("/services.{format}", response_model=list[Service], responses=open311_errors(400, 404, 503))
async def services(format: FormatParam, intake: Intake, divisions: Divisions, jurisdiction_id: Jurisdiction = None):
    """服务清单 (GET Service List): the jurisdiction's item categories, one service each."""
    division = await served(jurisdiction_id, divisions)
    return render(format, "service", [service(name) for name in await category_names(intake, division)])


@router.get(
    "/services/{service_code}.{format}",
    response_model=ServiceDefinition,
    responses=open311_errors(400, 404, 503),
)
async def service_definition(
    service_code: Annotated[str, Path(max_length=64)],
    format: FormatParam,
    intake: Intake,
    divisions: Divisions,
    jurisdiction_id: Jurisdiction = None,
):
    """服务定义 (GET Service Definition): no service asks for extra attributes, so the list is empty."""
    division = await served(jurisdiction_id, divisions)
    _, unknown = categories_of([service_code], await category_names(intake, division))
    if unknown:
        raise Open311Failure(404, f"未知的服务 (service_code not found): {service_code}")
    return render(format, "service_definition", ServiceDefinition(service_code=service_code))


# ---- POST a request ----


class NewRequestForm(BaseModel):
    """The standard's form fields. `email`, `device_id`, `account_id`, `address_id` and `media_url`
    are accepted but neither kept nor echoed; a `phone` is validated and sealed with the name before
    it leaves the gateway; `attribute[external_id]` (the calling system's own id) makes a request
    that is sent again count once."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    api_key: str | None = Field(default=None, max_length=200)
    jurisdiction_id: DivisionCode | None = None
    service_code: str = Field(min_length=1, max_length=64, examples=["road-traffic"])
    description: str = Field(min_length=1, max_length=CONTENT_MAX, examples=["文苑路公交站台的顶棚坏了"])
    lat: float | None = Field(default=None, ge=-90, le=90, examples=[30.5106])
    long: float | None = Field(default=None, ge=-180, le=180, examples=[120.6803])
    address_string: str | None = Field(default=None, max_length=200, examples=["海宁市硖石街道文苑路公交站"])
    address_id: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    device_id: str | None = Field(default=None, max_length=200)
    account_id: str | None = Field(default=None, max_length=200)
    first_name: str | None = Field(default=None, max_length=25)
    last_name: str | None = Field(default=None, max_length=25)
    phone: str | None = Field(default=None, max_length=30, examples=["13812345678"])
    media_url: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="before")
    @classmethod
    def blank_is_absent(cls, data):
        if isinstance(data, dict):
            return {name: value for name, value in data.items() if value not in ("", None)}
        return data

    @field_validator("phone")
    @classmethod
    def mainland_phone(cls, value: str | None) -> str | None:
        return None if value is None else normalise_phone(value)

    @model_validator(mode="after")
    def position_in_pairs(self):
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat 与 long 须同时给出 (lat and long go together)")
        return self


def full_name(first: str | None, last: str | None) -> str | None:
    """陈 + 小明 → 陈小明 for Chinese names; first name first for others."""
    parts = [part for part in (first, last) if part]
    if not parts:
        return None
    if any(part.isascii() for part in parts):
        return " ".join(parts)
    return "".join(reversed(parts)) if first and last else parts[0]


def located(form: NewRequestForm) -> Location | None:
    """The place the client gave, so that the unit knows where to go."""
    if form.address_string is None and form.lat is None:
        return None
    return Location(address=form.address_string, lat=form.lat, long=form.long)


async def submitter(api_key: str | None, keys) -> Actor:
    """The key's holder, if it may post requests: a county system, a station or an administrator."""
    if not api_key:
        raise Open311Failure(403, "缺少 api_key (api_key is required)")
    record = await keys.by_key(api_key)
    if record is None:
        raise Open311Failure(403, "api_key 无效或已吊销 (invalid api_key)")
    principal = actor_of(record)
    if principal.role not in SUBMITTERS:
        raise Open311Failure(403, f"该密钥的角色 {principal.role.value} 不能提交请求 (this api_key may not post)")
    return principal


COMMAND_FIELDS = {"content": "description", "details.external_id": "attribute[external_id]"}


def submission(form: NewRequestForm, division: str, category: str, principal: Actor, cipher, external_id: str):
    contact = cipher.seal(full_name(form.first_name, form.last_name), form.phone) if form.phone else None
    try:
        return SubmitOpinion(
            tracking_code=new_tracking_code(),
            division=division,
            channel=Channel.COUNTY_SYSTEM,
            content=form.description,
            location=located(form),
            submitted_at=utc_now(),
            contact=contact,
            category=category,
            details=CountySystemDetails(system=(principal.label or principal.key_id)[:100], external_id=external_id),
            entered_by=principal.label,
        )
    except ValidationError as refused:
        first = refused.errors(include_url=False)[0]
        field = field_path(first["loc"])
        named = COMMAND_FIELDS.get(field, field)
        raise Open311Failure(400, f"参数不合法 (invalid parameter): {named}: {first['msg']}") from None


@router.post(
    "/requests.{format}",
    response_model=list[RequestCreated],
    responses=open311_errors(400, 403, 404, 503),
)
async def post_request(
    format: FormatParam,
    form: Annotated[NewRequestForm, Form()],
    request: Request,
    keys: ApiKeys,
    divisions: Divisions,
    intake: Intake,
    platform: PlatformDep,
):
    """提交请求 (POST Service Request), form-encoded, with the `api_key` of a county system, a station
    or an administrator whose scope covers `jurisdiction_id` (default: the key's own division). The
    item is stored at once on the `county_system` channel: the answer holds its case number."""
    principal = await submitter(form.api_key or request.query_params.get("api_key"), keys)
    division = await served(form.jurisdiction_id or principal.scope or None, divisions)
    if not within(division, principal.scope):
        raise Open311Failure(403, f"jurisdiction_id {division} 超出该密钥的管辖范围 (outside the api_key's scope)")
    found, unknown = categories_of([form.service_code], await category_names(intake, division))
    if unknown:
        raise Open311Failure(404, f"未知的服务 (service_code not found): {form.service_code}")
    external_id = (await request.form()).get("attribute[external_id]") or ulid_now()
    command = submission(form, division, found[0], principal, platform.cipher, str(external_id).strip())
    receipt = await intake.submit_staff_opinion(command, principal)
    if receipt.case_number is None:
        raise Open311Failure(503, "案件编号暂不可用，请稍后重试 (no case number yet; retry later)")
    notice = (
        f"此前已受理，案件编号 {receipt.case_number} (received before)"
        if receipt.duplicate
        else f"已受理，案件编号 {receipt.case_number}；群众可凭查询码 {receipt.tracking_code} 查询办理进度 "
        f"(received; the citizen follows it with this tracking code)"
    )
    return render(format, "request", [RequestCreated(service_request_id=receipt.case_number, service_notice=notice)])


# ---- GET requests ----


def listed(values: str | None) -> list[str]:
    return [value.strip() for value in (values or "").split(",") if value.strip()]


def moment(value: str | None, name: str) -> datetime | None:
    """A W3C datetime; one without an offset (or a bare date) is China Standard Time."""
    if not value:
        return None
    try:
        # a "+08:00" sent unencoded in a query string arrives as " 08:00"
        parsed = datetime.fromisoformat(re.sub(r" (\d{2}:?\d{2})$", r"+\1", value.strip()))
    except ValueError:
        raise Open311Failure(400, f"{name} 不是 W3C 日期时间 (not a W3C datetime): {value}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


def period(start_date: str | None, end_date: str | None) -> tuple[datetime, datetime]:
    """The standard's window: the last 90 days unless asked, and never longer than 90 days."""
    start, end = moment(start_date, "start_date"), moment(end_date, "end_date")
    if start is None and end is None:
        end = utc_now()
    start = start or end - WINDOW
    end = end or start + WINDOW
    if end <= start or end - start > WINDOW:
        raise Open311Failure(400, "start_date 须早于 end_date，且相隔不超过 90 天 (at most 90 days, start first)")
    return start, end


async def listing_query(division, intake, service_request_id, service_code, start_date, end_date, status):
    if service_request_id:
        ids = listed(service_request_id)
        if len(ids) > 100 or not all(CASE_NUMBER.match(i) for i in ids):
            raise Open311Failure(400, "service_request_id 应为逗号分隔的案件编号，最多 100 个 (case numbers)")
        return RequestQuery(division_prefix=division, case_numbers=ids)
    statuses = None
    if status:
        try:
            wanted = [Open311Status(value) for value in listed(status)]
        except ValueError:
            raise Open311Failure(400, f"status 只能是 open 或 closed (status is open or closed): {status}") from None
        statuses = sorted(set().union(*(case_statuses(s) for s in wanted)))
    categories = None
    if service_code:
        categories, unknown = categories_of(listed(service_code), await category_names(intake, division))
        if unknown:
            raise Open311Failure(404, f"未知的服务 (service_code not found): {','.join(unknown)}")
    start, end = period(start_date, end_date)
    return RequestQuery(division_prefix=division, statuses=statuses, categories=categories, start=start, end=end)


CommaList = Annotated[str | None, Query(max_length=2000)]
When = Annotated[str | None, Query(max_length=40, examples=["2026-11-01T00:00:00+08:00"])]


@router.get("/requests.{format}", response_model=list[ServiceRequest], responses=open311_errors(400, 404, 503))
async def get_requests(
    format: FormatParam,
    intake: Intake,
    divisions: Divisions,
    jurisdiction_id: Jurisdiction = None,
    service_request_id: CommaList = None,
    service_code: CommaList = None,
    start_date: When = None,
    end_date: When = None,
    status: Annotated[str | None, Query(max_length=20, examples=["open"])] = None,
):
    """查询请求 (GET Service Requests): the jurisdiction's items, newest first, at most 1000, from the
    last 90 days unless `start_date`/`end_date` say otherwise; `service_request_id` (comma-separated
    case numbers) overrides every other filter. Never the citizen's contact or tracking code."""
    division = await served(jurisdiction_id, divisions)
    query = await listing_query(division, intake, service_request_id, service_code, start_date, end_date, status)
    return render(format, "request", [service_request(item) for item in await intake.public_requests(query)])


@router.get(
    "/requests/{service_request_id}.{format}",
    response_model=list[ServiceRequest],
    responses=open311_errors(400, 404, 503),
)
async def get_request(
    service_request_id: Annotated[str, Path(max_length=40, examples=["330481-2026-000123"])],
    format: FormatParam,
    intake: Intake,
    jurisdiction_id: Jurisdiction = None,
):
    """查询单个请求 (GET Service Request) by its case number, as a list of one."""
    missing = Open311Failure(404, f"查无此案件编号 (service_request_id not found): {service_request_id}")
    if not CASE_NUMBER.match(service_request_id):
        raise missing
    try:
        item = await intake.public_request(service_request_id)
    except ServiceError as refused:
        raise missing if refused.code is ErrorCode.NOT_FOUND else refused from None
    if jurisdiction_id and not within(item.division, jurisdiction_id):
        raise missing
    return render(format, "request", [service_request(item)])


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def elsewhere(request: Request, rest: str):
    """Anything else under /open311/v2 also answers the standard's error list: 405 or 404."""
    for route in router.routes:
        if route.endpoint is not elsewhere and route.matches(request.scope)[0] is Match.PARTIAL:
            raise Open311Failure(405, f"不支持的方法 (method not allowed): {request.method}")
    raise Open311Failure(404, f"没有这个 Open311 资源 (no such resource): /open311/v2/{rest}")
