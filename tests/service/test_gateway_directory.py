"""The directory's routes with a fake broker: who may call each one, inside and outside the key's
scope; bad input refused before any service is asked; QR codes that decode to the receiver's page."""

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway import deps
from gateway.routers import directory
from tests.service.test_gateway_routers import FakeDivisions, Gateway

AREA = {"level": "community", "code": "330481001001", "name": "文苑社区"}
GRID = {"id": "wenyuan-01", "name": "文苑社区第一网格", "area": "330481001001", "officer": "周丽"}
STATION = {
    "id": "xiashi-station",
    "name": "硖石街道人大代表联络站",
    "division": "330481001",
    "address": "硖石街道文苑南路",
    "reception_day": "每周二 代表有约",
}
DEPUTY = {
    "id": "deputy-zhang-wei",
    "name": "张伟",
    "division": "330481001",
    "level": "county",
    "station_ids": ["xiashi-station"],
}
ENTRIES = {"area": AREA, "grid": GRID, "station": STATION, "deputy": DEPUTY}
CARD = {
    "kind": "deputy",
    "id": "deputy-zhang-wei",
    "name": "张伟",
    "division": "330481001",
    "level": "county",
    "stations": [{"id": "xiashi-station", "name": STATION["name"], "address": "硖石街道文苑南路", "reception_day": ""}],
}
BASE_URL = "https://minqing.haining.example"

STAFF = set(Role) - {Role.CITIZEN}
# kind, path, body, the roles besides admin that may write it
KINDS = [
    ("area", "areas", AREA, set()),
    ("grid", "grids", GRID, {Role.STATION}),
    ("station", "stations", STATION, set()),
    ("deputy", "deputies", DEPUTY, set()),
]
ENTRY_ID = {"area": "330481001001", "grid": "wenyuan-01", "station": "xiashi-station", "deputy": "deputy-zhang-wei"}
SCOPE_FIELD = {"area": "code", "grid": "area", "station": "division", "deputy": "division"}
ROUTES = [
    route
    for kind, plural, body, writers in KINDS
    for route in [
        ("POST", f"/v1/directory/{plural}", body, writers, SCOPE_FIELD[kind]),
        ("PATCH", f"/v1/directory/{plural}/{ENTRY_ID[kind]}", {"name": "新名称"}, writers, SCOPE_FIELD[kind]),
        ("GET", f"/v1/directory/{plural}?division=330481", None, STAFF, "division"),
        ("GET", f"/v1/directory/{plural}/{ENTRY_ID[kind]}", None, STAFF, SCOPE_FIELD[kind]),
    ]
]
CHANGING = {"register_area", "register_grid", "register_station", "register_deputy", "update_entry"}


class RecordingDivisions(FakeDivisions):
    saved: list[tuple[str, str]] = []

    async def save(self, code: str, name: str) -> None:
        self.saved.append((code, name))


@pytest.fixture
def gateway():
    gateway = Gateway()
    RecordingDivisions.saved = []
    gateway.app.dependency_overrides[deps.division_store] = RecordingDivisions
    gateway.app.dependency_overrides[directory.public_base_url] = lambda: BASE_URL
    answers = {
        "register_area": lambda kw: {**kw["area"], "active": True},
        "register_grid": lambda kw: {**kw["grid"], "active": True},
        "register_station": lambda kw: {**kw["station"], "active": True},
        "register_deputy": lambda kw: {**kw["deputy"], "active": True},
        "directory_entry": lambda kw: {**ENTRIES[kw["kind"]], "active": True},
        "update_entry": lambda kw: {
            **ENTRIES[kw["kind"]],
            **{k: v for k, v in kw["changes"].items() if v is not None},
            "active": kw["changes"].get("active") is not False,
        },
        "directory_entries": lambda kw: {"items": [{**ENTRIES[kw["kind"]], "active": True}], "next": None},
        "receiver": lambda kw: CARD if kw["kind"] == "deputy" else {**CARD, "kind": "station", "level": None},
    }
    gateway.broker.answers.update({("intake", name): answer for name, answer in answers.items()})
    return gateway


def changing_calls(gateway) -> list[str]:
    return [method for _, method, _ in gateway.broker.calls if method in CHANGING]


@pytest.mark.parametrize(
    ("method", "url", "body", "roles", "scope_field"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(gateway, method, url, body, roles, scope_field):
    for role in Role:
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"
    for role in {*roles, Role.ADMIN}:
        before = changing_calls(gateway)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert changing_calls(gateway) == before  # refused before anything changed


def test_creating_refuses_another_scope_before_asking_any_service(gateway):
    for _, plural, body, _ in KINDS:
        answer = gateway.request("POST", f"/v1/directory/{plural}", Role.ADMIN, scope="330482", json=body)
        assert answer.status_code == 403 and "超出管辖范围" == answer.json()["title"]
    assert gateway.broker.calls == []


def test_a_station_key_manages_the_grids_of_its_own_township_only(gateway):
    answer = gateway.request("POST", "/v1/directory/grids", Role.STATION, scope="330481001", json=GRID)
    assert answer.status_code == 201 and answer.json() == {**GRID, "active": True}
    answer = gateway.request("POST", "/v1/directory/grids", Role.STATION, scope="330481002", json=GRID)
    assert answer.status_code == 403 and answer.json()["field"] == "area"
    answer = gateway.request(
        "PATCH", "/v1/directory/grids/wenyuan-01", Role.STATION, scope="330481001", json={"area": "330481002001"}
    )
    assert answer.status_code == 403 and answer.json()["field"] == "area"  # not into another township
    answer = gateway.request("PATCH", "/v1/directory/grids/wenyuan-01", Role.STATION, json={"active": False})
    assert answer.status_code == 200 and answer.json()["active"] is False
    assert changing_calls(gateway) == ["register_grid", "update_entry"]


def test_a_change_passes_only_what_it_names(gateway):
    answer = gateway.request("PATCH", "/v1/directory/deputies/deputy-zhang-wei", Role.ADMIN, json={"active": False})
    assert answer.status_code == 200 and answer.json()["active"] is False
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "update_entry" and kwargs["kind"] == "deputy" and kwargs["entry_id"] == "deputy-zhang-wei"
    assert {k: v for k, v in kwargs["changes"].items() if v is not None} == {"active": False}


def test_an_area_created_or_renamed_is_served_from_then_on(gateway):
    assert gateway.request("POST", "/v1/directory/areas", Role.ADMIN, json=AREA).status_code == 201
    gateway.request("PATCH", "/v1/directory/areas/330481001001", Role.ADMIN, json={"name": "文苑新社区"})
    gateway.request("PATCH", "/v1/directory/areas/330481001001", Role.ADMIN, json={"active": False})
    assert RecordingDivisions.saved == [("330481001001", "文苑社区"), ("330481001001", "文苑新社区")]


def test_a_listing_passes_the_filter_and_the_cursor(gateway):
    answer = gateway.request("GET", "/v1/directory/stations?division=330481001&active=false&limit=5&after=abc")
    assert answer.status_code == 200 and answer.json() == [{**STATION, "active": True}]
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "directory_entries"
    assert kwargs == {"kind": "station", "division_prefix": "330481001", "active": False, "limit": 5, "after": "abc"}
    gateway.request("GET", "/v1/directory/grids", Role.STATION, scope="330481001")
    assert (
        gateway.broker.calls[-1][2]["division_prefix"] == "330481001" and gateway.broker.calls[-1][2]["active"] is None
    )


@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        ("areas", {**AREA, "code": "330481001"}, "code", "12 位数字"),
        ("areas", {**AREA, "level": "township"}, "code", "9 位数字"),
        ("areas", {**AREA, "level": "county"}, "level", None),
        ("grids", {**GRID, "area": "3304"}, "area", "行政区划代码"),
        ("grids", {**GRID, "officer": ""}, "officer", None),
        ("stations", {**STATION, "id": "硖石"}, "id", None),
        ("deputies", {**DEPUTY, "station_ids": ["a", "a"]}, "station_ids", "联络站重复"),
        ("deputies", {**DEPUTY, "station_ids": []}, "station_ids", None),
        ("deputies", {**DEPUTY, "level": "city"}, "level", None),
        ("deputies", {**DEPUTY, "station_id": "xiashi-station"}, "station_id", None),
    ],
)
def test_bad_input_names_the_field_and_reaches_no_service(gateway, path, body, field, words):
    answer = gateway.request("POST", f"/v1/directory/{path}", Role.ADMIN, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field, answer.text
    if words:
        assert words in answer.json()["errors"][0]["message"]
    assert gateway.broker.calls == []


def test_bad_changes_name_the_field_and_reach_no_service(gateway):
    for path, body, field in [
        ("deputies/deputy-zhang-wei", {"level": "village"}, "level"),
        ("stations/xiashi-station", {"division": "33"}, "division"),
        ("areas/330481001001", {"code": "330481001002"}, "code"),
        ("grids/bad%20id", {"name": "x"}, "entry_id"),
    ]:
        answer = gateway.request("PATCH", f"/v1/directory/{path}", Role.ADMIN, json=body)
        assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert gateway.broker.calls == []


def test_a_division_this_platform_does_not_serve_is_refused(gateway):
    answer = gateway.request(
        "POST", "/v1/directory/stations", Role.ADMIN, scope="", json={**STATION, "division": "330483001"}
    )
    assert (
        answer.status_code == 422
        and answer.json()["field"] == "division"
        and answer.json()["title"] == "未知的行政区划"
    )
    assert gateway.broker.calls == []


def test_the_services_refusals_come_back_as_problems_naming_the_field(gateway):
    gateway.broker.refusal = ServiceError(
        ErrorCode.INVALID, "联络站 haizhou 已停用 (deactivated station)", "station_ids"
    )
    answer = gateway.request("POST", "/v1/directory/deputies", Role.ADMIN, json=DEPUTY)
    assert answer.status_code == 422 and answer.json()["field"] == "station_ids" and "已停用" in answer.json()["detail"]
    gateway.broker.refusal = ServiceError(ErrorCode.CONFLICT, "已存在", "id", state={**STATION, "active": True})
    answer = gateway.request("POST", "/v1/directory/stations", Role.ADMIN, json=STATION)
    assert answer.status_code == 409 and answer.json()["state"]["name"] == STATION["name"]
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "目录中没有 x", "id")
    assert gateway.request("PATCH", "/v1/directory/stations/x", Role.ADMIN, json={"name": "y"}).status_code == 404


def public(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    return gateway


def svg_modules(svg: str) -> Image.Image:
    """Draws segno's SVG path (`M x y`, `h n` runs of dark modules, `m dx dy` moves) onto an image."""
    size = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    path = re.search(r' d="([^"]+)"', svg).group(1)
    image = Image.new("L", (size, size), 255)
    draw, x, y = ImageDraw.Draw(image), 0.0, 0.0
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            draw.rectangle([x * scale, (y - 0.5) * scale, (x + values[0]) * scale - 1, (y + 0.5) * scale - 1], fill=0)
            x += values[0]
    return image


def decoded(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(("receivers", "kind"), [("deputies", "deputy"), ("stations", "station")])
def test_a_qr_code_decodes_to_the_public_page_with_the_receiver_filled_in(gateway, receivers, kind):
    public(gateway)
    png = gateway.request("GET", f"/v1/public/{receivers}/xiashi-x/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    expected = f"{BASE_URL}/s/330481001?{kind}=xiashi-x"
    assert decoded(Image.open(io.BytesIO(png.content))) == [expected]
    svg = gateway.request("GET", f"/v1/public/{receivers}/xiashi-x/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert decoded(svg_modules(svg.text)) == [expected]
    assert gateway.broker.calls[-1][1:] == ("receiver", {"kind": kind, "entry_id": "xiashi-x"})


def test_the_qr_code_of_an_unknown_or_deactivated_receiver_is_404(gateway):
    public(gateway)
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "代表 gone 不存在或已停用", "id")
    answer = gateway.request("GET", "/v1/public/deputies/gone/qr.png")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    assert gateway.request("GET", "/v1/public/deputies/gone/qr.gif").status_code == 404
    gateway.broker.refusal = None
    assert gateway.request("GET", "/v1/public/deputies/Bad%20Id/qr.png").status_code == 422


def test_the_qr_address_answers_the_receiver_and_how_to_submit_without_a_key(gateway):
    public(gateway)
    answer = gateway.request("GET", "/s/330481001?deputy=deputy-zhang-wei")
    assert answer.status_code == 200
    assert answer.json() == {
        "receiver": {**CARD, "address": None, "reception_day": None},
        "submit": {
            "method": "POST",
            "url": "/v1/public/opinions",
            "fields": {"division": "330481001", "channel": "qr", "deputy_id": "deputy-zhang-wei"},
        },
    }
    station = gateway.request("GET", "/s/330481001?station=xiashi-station").json()
    assert station["submit"]["fields"]["station_id"] == "xiashi-station" and station["receiver"]["kind"] == "station"


def test_the_qr_address_refuses_what_it_cannot_show(gateway):
    public(gateway)
    assert gateway.request("GET", "/s/330482001?deputy=deputy-zhang-wei").status_code == 404  # another county
    for query in ["", "?deputy=a&station=b"]:
        answer = gateway.request("GET", f"/s/330481001{query}")
        assert answer.status_code == 422 and answer.json()["field"] == "deputy"
    assert gateway.request("GET", "/s/33?deputy=a").status_code == 422
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "不存在或已停用", "id")
    answer = gateway.request("GET", "/s/330481001?station=gone")
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"


def test_the_public_station_list_needs_no_key(gateway):
    public(gateway)
    answer = gateway.request("GET", "/v1/public/stations?division=330481")
    assert answer.status_code == 200 and answer.json()[0]["deputies"] == ["张伟"]
    assert gateway.request("GET", "/v1/directory/stations").status_code == 401
