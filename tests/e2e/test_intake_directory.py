"""The directory over HTTP: an admin and a station key build a township's directory, a deputy in two
stations; one station is deactivated; the lists, the public station list, and the deputy's QR code
fetched, decoded and followed to the page it names."""

import io
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image

COMMUNITY = {"level": "community", "code": "330481003001", "name": "塘南社区"}
GRID = {"id": "tangnan-01", "name": "塘南社区第一网格", "area": "330481003001", "officer": "许文华"}
STATIONS = [
    {
        "id": "haichang-station",
        "name": "海昌街道人大代表联络站",
        "division": "330481003",
        "address": "海昌街道办事处一楼",
    },
    {
        "id": "tangnan-point",
        "name": "塘南社区代表联络点",
        "division": "330481003001",
        "address": "塘南社区党群服务中心",
    },
]
DEPUTY = {
    "id": "deputy-xu-ming",
    "name": "徐明",
    "division": "330481003",
    "level": "municipal",
    "station_ids": ["haichang-station", "tangnan-point"],
}


def key_for(admin, role: str, scope: str) -> str:
    answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": f"{role} {scope}"})
    assert answer.status_code == 201, answer.text
    return answer.json()["key"]


def created(client, path: str, body: dict) -> dict:
    answer = client.post(f"/v1/directory/{path}", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_township_directory_is_built_listed_and_its_deputys_qr_code_leads_to_them(platform):
    with platform.admin() as admin:
        keys = [key_for(admin, "station", "330481003"), key_for(admin, "station", "330481001")]
        keys.append(key_for(admin, "info_officer", "330481003"))
    station_key, other_station_key, reader = (platform.client(key) for key in keys)
    with platform.admin() as admin, station_key, other_station_key, reader, platform.client() as public:
        assert created(admin, "areas", COMMUNITY) == {**COMMUNITY, "active": True}
        assert created(station_key, "grids", GRID) == {**GRID, "active": True}
        for station in STATIONS:
            created(admin, "stations", station)
        assert created(admin, "deputies", DEPUTY) == {**DEPUTY, "active": True}

        # refused, naming the field, and nothing stored
        outside = other_station_key.post("/v1/directory/grids", json={**GRID, "id": "tangnan-02"})
        assert outside.status_code == 403 and outside.json()["field"] == "area"
        assert station_key.post("/v1/directory/stations", json={**STATIONS[0], "id": "x"}).status_code == 403
        unknown = admin.post("/v1/directory/deputies", json={**DEPUTY, "id": "d2", "station_ids": ["nowhere"]})
        assert unknown.status_code == 422 and unknown.json()["field"] == "station_ids"
        assert unknown.headers["content-type"] == "application/problem+json" and "不存在" in unknown.json()["detail"]
        admin.put("/v1/admin/divisions/330482", json={"name": "平湖市"}).raise_for_status()
        created(admin, "stations", {"id": "danghu-station", "name": "当湖街道人大代表联络站", "division": "330482001"})
        elsewhere = admin.post(
            "/v1/directory/deputies", json={**DEPUTY, "id": "d3", "station_ids": ["haichang-station", "danghu-station"]}
        )
        assert elsewhere.status_code == 422 and elsewhere.json()["field"] == "station_ids"
        assert "县（市、区）" in elsewhere.json()["detail"]  # 平湖's station, not in the deputy's county
        wrong_length = admin.post("/v1/directory/areas", json={**COMMUNITY, "code": "330481003"})
        assert wrong_length.status_code == 422 and wrong_length.json()["field"] == "code"
        no_area = station_key.post("/v1/directory/grids", json={**GRID, "id": "tangnan-03", "area": "330481003009"})
        assert no_area.status_code == 422 and no_area.json()["field"] == "area"
        assert [g["id"] for g in reader.get("/v1/directory/grids").json()] == ["tangnan-01"]

        # one station closes: still listed, marked inactive, and no longer shown to the public
        closed = admin.patch("/v1/directory/stations/tangnan-point", json={"active": False})
        assert closed.status_code == 200 and closed.json()["active"] is False
        listed = reader.get("/v1/directory/stations", params={"division": "330481003"}).json()
        assert [(s["id"], s["active"]) for s in listed] == [("haichang-station", True), ("tangnan-point", False)]
        inactive = reader.get("/v1/directory/stations", params={"active": "false"}).json()
        assert [s["id"] for s in inactive] == ["tangnan-point"]
        shown = public.get("/v1/public/stations", params={"division": "330481003"}).json()
        assert [(s["id"], s["deputies"]) for s in shown] == [("haichang-station", ["徐明"])]
        refused = admin.post("/v1/directory/deputies", json={**DEPUTY, "id": "d4", "station_ids": ["tangnan-point"]})
        assert refused.status_code == 422 and "已停用" in refused.json()["detail"]

        png = public.get(f"/v1/public/deputies/{DEPUTY['id']}/qr.png")
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        [url] = [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))]
        address = urlsplit(url)
        assert (address.path, address.query) == ("/s/330481003", "deputy=deputy-xu-ming")
        page = public.get(f"{address.path}?{address.query}")
        assert page.status_code == 200, page.text
        receiver = page.json()["receiver"]
        assert (receiver["name"], receiver["level"]) == ("徐明", "municipal")
        assert [s["name"] for s in receiver["stations"]] == ["海昌街道人大代表联络站"]
        assert page.json()["submit"]["fields"] == {
            "division": "330481003",
            "channel": "qr",
            "deputy_id": "deputy-xu-ming",
        }
        assert (
            public.get("/v1/public/stations/haichang-station/qr.svg")
            .headers["content-type"]
            .startswith("image/svg+xml")
        )

        # deactivated receivers have no code and no page
        assert public.get("/v1/public/stations/tangnan-point/qr.png").status_code == 404
        admin.patch(f"/v1/directory/deputies/{DEPUTY['id']}", json={"active": False}).raise_for_status()
        gone = public.get(f"/v1/public/deputies/{DEPUTY['id']}/qr.png")
        assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
        assert public.get(f"{address.path}?{address.query}").status_code == 404
        assert reader.get(f"/v1/directory/deputies/{DEPUTY['id']}").json()["active"] is False
