"""The directory: townships, villages and communities (areas), grids, liaison stations and deputies,
each created, changed (deactivated included) and listed within the key's scope; the public list of
stations; and every deputy's and station's QR code with the address it encodes.

Who may do what is written in `services.intake.directory.rules`: administrators everything, station
keys the grids, every other staff key reads.
"""

import io
from typing import Annotated
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, Depends, Path, Query, Request, Response

from contracts.actor import Actor
from contracts.intake.directory import (
    CHANGES,
    DIVISION_FIELD,
    ENTRIES,
    INPUTS,
    DirectoryKind,
    QrLanding,
    StationView,
    SubmissionForm,
)
from contracts.vocabulary import DIVISION_CODE, ENTITY_ID, Role
from gateway.auth import require_scope
from gateway.clients import IntakeClient
from gateway.deps import Admin, Cursor, DivisionParam, Divisions, Intake, Limit, ScopedDivision, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import Problem, problem_responses
from gateway.stores import DivisionStore

router = APIRouter(tags=["directory"])

GridKeeper = allowed(Role.STATION)
Reader = allowed(*(role for role in Role if role is not Role.CITIZEN))
WRITERS = {
    DirectoryKind.AREA: Admin,
    DirectoryKind.GRID: GridKeeper,
    DirectoryKind.STATION: Admin,
    DirectoryKind.DEPUTY: Admin,
}
PLURALS = {
    DirectoryKind.AREA: "areas",
    DirectoryKind.GRID: "grids",
    DirectoryKind.STATION: "stations",
    DirectoryKind.DEPUTY: "deputies",
}
NAMES = {
    DirectoryKind.AREA: "乡镇（街道）、村（社区） / township, village or community",
    DirectoryKind.GRID: "网格 / grid",
    DirectoryKind.STATION: "联络站 / liaison station",
    DirectoryKind.DEPUTY: "人大代表 / deputy",
}
REGISTER = {
    DirectoryKind.AREA: IntakeClient.register_area,
    DirectoryKind.GRID: IntakeClient.register_grid,
    DirectoryKind.STATION: IntakeClient.register_station,
    DirectoryKind.DEPUTY: IntakeClient.register_deputy,
}
RECEIVERS = {"deputies": "deputy", "stations": "station"}
QR_MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)
# each kind's create and change functions, which the admin console's directory pages call too
CREATE: dict[DirectoryKind, object] = {}
CHANGE: dict[DirectoryKind, object] = {}
READ_ERRORS = problem_responses(401, 403, 404, 422)


def id_path(kind: DirectoryKind):
    if kind is DirectoryKind.AREA:
        return Annotated[
            str, Path(pattern=DIVISION_CODE.pattern, description="区划代码 / the code", examples=["330481001001"])
        ]
    return Annotated[str, Path(max_length=64, pattern=ENTITY_ID.pattern, examples=["deputy-zhang-wei"])]


def place_of(kind: DirectoryKind, entry) -> str:
    return getattr(entry, DIVISION_FIELD[kind])


async def placed(principal: Actor, divisions: DivisionStore, code: str, field: str) -> None:
    """Within the key's scope (else 403 naming `field`) and in a county this platform serves (else 422)."""
    require_scope(principal, code, field)
    if await divisions.get(code[:6]) is None:
        raise Problem(422, "未知的行政区划", f"County {code[:6]} is not served by this platform", field)


def add_directory_routes(kind: DirectoryKind) -> None:
    """Create, change, list and read one kind of entry: the same four routes for every kind."""
    plural, field, writer, name = PLURALS[kind], DIVISION_FIELD[kind], WRITERS[kind], NAMES[kind]
    entry_model, EntryId = ENTRIES[kind], id_path(kind)

    async def create(body: INPUTS[kind], principal: writer, divisions: Divisions, intake: Intake):
        await placed(principal, divisions, place_of(kind, body), field)
        entry = await REGISTER[kind](intake, body)
        if kind is DirectoryKind.AREA:  # an area is a division the platform serves from now on
            await divisions.save(entry.code, entry.name)
        return entry

    async def change(entry_id: EntryId, body: CHANGES[kind], principal: writer, divisions: Divisions, intake: Intake):
        current = await intake.directory_entry(kind, entry_id)
        require_scope(principal, place_of(kind, current), field)
        moved_to = getattr(body, field, None)
        if moved_to is not None:
            await placed(principal, divisions, moved_to, field)
        entry = await intake.update_entry(kind, entry_id, body)
        if kind is DirectoryKind.AREA and body.name is not None:
            await divisions.save(entry.code, entry.name)
        return entry

    async def listing(
        request: Request,
        response: Response,
        principal: Reader,
        division: ScopedDivision,
        intake: Intake,
        active: Annotated[bool | None, Query(description="只列启用或停用的 / only active or deactivated ones")] = None,
        limit: Limit = 100,
        after: Cursor = None,
    ):
        page = await intake.directory_entries(kind, division, active, limit, after)
        return items_with_next_link(request, response, page)

    async def read(entry_id: EntryId, principal: Reader, intake: Intake):
        entry = await intake.directory_entry(kind, entry_id)
        require_scope(principal, place_of(kind, entry), field)
        return entry

    CREATE[kind], CHANGE[kind] = create, change
    who = "管理员 / admins" if writer is Admin else "管理员、联络站 / admins and station keys"
    base = f"/v1/directory/{plural}"
    router.add_api_route(
        base,
        create,
        methods=["POST"],
        status_code=201,
        response_model=entry_model,
        responses=WRITE_ERRORS,
        summary=f"Create a {kind.value}",
        description=f"新增{name}，须在密钥的管辖范围内（{who}）。 Creates one, within the key's scope.",
    )
    router.add_api_route(
        f"{base}/{{entry_id}}",
        change,
        methods=["PATCH"],
        response_model=entry_model,
        responses=WRITE_ERRORS,
        summary=f"Change or deactivate a {kind.value}",
        description=f'修改{name}：未给出的字段不变，`{{"active": false}}` 停用（{who}）。 '
        "Fields left out stay; a deactivated entry stays listed and receives nothing.",
    )
    router.add_api_route(
        base,
        listing,
        methods=["GET"],
        response_model=list[entry_model],
        responses={**PAGED, **READ_ERRORS},
        summary=f"List {plural}",
        description=f"管辖范围内的{name}，停用的也列出（`active=false` 只列停用的）。 "
        "Every staff key, within its scope.",
    )
    router.add_api_route(
        f"{base}/{{entry_id}}",
        read,
        methods=["GET"],
        response_model=entry_model,
        responses=READ_ERRORS,
        summary=f"One {kind.value}",
        description=f"一个{name}。 Every staff key, within its scope.",
    )


for directory_kind in DirectoryKind:
    add_directory_routes(directory_kind)


@router.get("/v1/public/stations", response_model=list[StationView], responses={**PAGED, **problem_responses(422)})
async def stations(
    request: Request,
    response: Response,
    division: DivisionParam,
    intake: Intake,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Active liaison stations of a division and below, with the active deputies who receive there (no key needed)."""
    return items_with_next_link(request, response, await intake.stations(division, limit, after))


async def public_base_url(request: Request) -> str:
    return request.app.state.platform.settings.public_base_url.rstrip("/")


PublicBaseUrl = Annotated[str, Depends(public_base_url)]
ReceiverId = Annotated[str, Path(max_length=64, pattern=ENTITY_ID.pattern, examples=["deputy-zhang-wei"])]


def qr_image(url: str, kind: str) -> bytes:
    """The QR code of `url` (error correction M: still read when a corner of the poster is worn)."""
    code, buffer = segno.make(url, error="m", micro=False), io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=4, border=4, title="扫码反映民情 / scan to raise an issue")
    else:
        code.save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def add_qr_route(receivers: str, image: str) -> None:
    kind = RECEIVERS[receivers]

    async def qr_code(receiver_id: ReceiverId, intake: Intake, base_url: PublicBaseUrl) -> Response:
        card = await intake.receiver(kind, receiver_id)
        url = f"{base_url}/s/{card.division}?{urlencode({kind: receiver_id})}"
        headers = {"Cache-Control": "public, max-age=300"}
        return Response(qr_image(url, image), media_type=QR_MEDIA[image], headers=headers)

    router.add_api_route(
        f"/v1/public/{receivers}/{{receiver_id}}/qr.{image}",
        qr_code,
        methods=["GET"],
        response_class=Response,
        responses={200: {"content": {QR_MEDIA[image]: {}}}, **problem_responses(404, 422)},
        summary=f"The QR code of a {kind} ({image.upper()})",
        description=f"一码听民情：启用中的{'代表' if kind == 'deputy' else '联络站'}的二维码，编码公开反映页面的地址，"
        f"接收人已填好：`{{PUBLIC_BASE_URL}}/s/{{division}}?{kind}={{id}}`。停用或不存在的为 404。无需密钥。 "
        f"The code encodes the public submission page with this {kind} filled in. No key needed.",
    )


for qr_receivers in RECEIVERS:
    for qr_format in QR_MEDIA:
        add_qr_route(qr_receivers, qr_format)


@router.get("/s/{division}", response_model=QrLanding, responses=problem_responses(404, 422))
async def qr_landing(
    division: Annotated[str, Path(pattern=DIVISION_CODE.pattern, examples=["330481001"])],
    intake: Intake,
    deputy: Annotated[str | None, Query(max_length=64, pattern=ENTITY_ID.pattern)] = None,
    station: Annotated[str | None, Query(max_length=64, pattern=ENTITY_ID.pattern)] = None,
) -> QrLanding:
    """Where a QR code leads: until the public pages exist, the receiver it names (a deputy's name and
    level and stations, or a station's name and address) and how to submit to them. No key needed.
    An unknown or deactivated receiver, or one of another county, is 404."""
    if (deputy is None) == (station is None):
        raise Problem(422, "请求参数不合法", "Name one receiver: ?deputy= or ?station=", "deputy")
    kind, receiver_id = ("deputy", deputy) if deputy else ("station", station)
    card = await intake.receiver(kind, receiver_id)
    if card.division[:6] != division[:6]:
        raise Problem(404, "未找到", f"No {kind} {receiver_id} in {division}", kind)
    fields = {"division": division, "channel": "qr", f"{kind}_id": receiver_id}
    return QrLanding(receiver=card, submit=SubmissionForm(url="/v1/public/opinions", fields=fields))
