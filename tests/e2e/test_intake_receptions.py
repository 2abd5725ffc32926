"""Reception sessions over HTTP: a station plans and announces them (a week ahead, or with a reason),
the public notice shows them, an item received at one is listed by it, staff see every state; the
demo schedule is there too."""

from datetime import timedelta

from infra.clock import local_today

OFFICIALS = [{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}]


def key_for(platform, role: str, scope: str, label: str) -> str:
    with platform.admin() as admin:
        answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": label})
    assert answer.status_code == 201, answer.text
    return answer.json()["key"]


def evening_session(days_ahead: int, theme: str) -> dict:
    day = (local_today() + timedelta(days=days_ahead)).isoformat()
    return {
        "station_id": "xiashi-station",
        "starts_at": f"{day}T19:00:00",  # Beijing time, no offset given
        "ends_at": f"{day}T20:30:00",
        "deputy_ids": ["deputy-zhang-wei", "deputy-li-hong"],
        "theme": theme,
        "officials": OFFICIALS,
    }


def public_ids(client, division: str) -> dict[str, dict]:
    answer = client.get("/v1/public/receptions", params={"division": division})
    assert answer.status_code == 200, answer.text
    return {session["id"]: session for session in answer.json()}


def test_a_station_announces_sessions_and_the_public_notice_shows_them(platform):
    station = platform.client(key_for(platform, "station", "330481001", "硖石街道联络站"))
    public = platform.client()
    with station, public:
        ahead = station.post("/v1/receptions", json=evening_session(14, "老旧小区加装电梯专题接待（晚间场）"))
        assert ahead.status_code == 201, ahead.text
        ahead = ahead.json()
        assert ahead["status"] == "draft" and ahead["starts_at"].endswith("T19:00:00+08:00")
        assert ahead["id"] not in public_ids(public, "330481001")

        announced = station.post(f"/v1/receptions/{ahead['id']}/announce", json={})
        assert announced.status_code == 200 and announced.json()["announced_at"], announced.text

        soon = station.post("/v1/receptions", json=evening_session(2, "停车难问题临时接待")).json()
        refused = station.post(f"/v1/receptions/{soon['id']}/announce", json={})
        assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["field"] == "reason" and refused.json()["detail"].startswith("距接待日仅 2 天")
        assert soon["id"] not in public_ids(public, "330481001")
        late = station.post(f"/v1/receptions/{soon['id']}/announce", json={"reason": "群众集中反映，临时加开一场"})
        assert late.status_code == 200 and late.json()["late_reason"] == "群众集中反映，临时加开一场"

        outside = station.post("/v1/receptions", json={**evening_session(14, "跨区"), "station_id": "changan-station"})
        assert outside.status_code == 403 and outside.json()["field"] == "station_id"

        shown = public_ids(public, "330481001")
        assert {ahead["id"], soon["id"]} <= set(shown)
        notice = shown[ahead["id"]]
        assert notice["station"]["name"] == "硖石街道人大代表联络站" and notice["officials"] == OFFICIALS
        assert [deputy["name"] for deputy in notice["deputies"]] == ["张伟", "李红"]
        assert "late_reason" not in shown[soon["id"]] and "created_by" not in notice
        assert soon["id"] not in public_ids(public, "330481102")

        visit = {
            "division": "330481001",
            "content": "文苑社区想加装电梯但一楼住户不同意，希望街道出面协调",
            "details": {
                "channel": "station_visit",
                "station_id": "xiashi-station",
                "deputy_id": "deputy-li-hong",
                "reception_id": soon["id"],
            },
            "contact": {"name": "陈小明", "phone": "13812345678"},
        }
        received = station.post("/v1/opinions", json=visit)
        assert received.status_code == 201, received.text
        draft = station.post("/v1/receptions", json=evening_session(21, "尚未公告")).json()
        at_draft = station.post(
            "/v1/opinions", json={**visit, "details": {**visit["details"], "reception_id": draft["id"]}}
        )
        assert at_draft.status_code == 422 and at_draft.json()["field"] == "details.reception_id"

        detail = station.get(f"/v1/receptions/{soon['id']}")
        assert detail.status_code == 200
        [item] = detail.json()["items"]
        assert item["tracking_code"] == received.json()["tracking_code"]
        assert item["status"] in {"received", "triaged", "assigned"}  # routing may have assigned it already
        assert item["case_number"] == received.json()["case_number"] and "加装电梯" in item["content"]
        assert "13812345678" not in detail.text and "陈小明" not in detail.text
        assert public_ids(public, "330481001")[soon["id"]]["items_received"] == 1


def test_the_demo_schedule_is_public_and_staff_see_every_state(platform):
    with platform.client() as public:
        shown = list(public_ids(public, "330481").values())
    themes = {session["theme"]: session for session in shown}
    assert themes["周二代表有约"]["status"] == "announced"
    elevator = themes["老旧小区加装电梯专题接待"]
    assert any("住房和城乡建设局" in official["post"] for official in elevator["officials"])
    assert themes["企业人才招引留用"]["status"] == "held"

    supervisor = platform.client(key_for(platform, "supervisor", "330481", "人大督查室"))
    with supervisor:
        answer = supervisor.get("/v1/receptions", params={"division": "330481102", "status": "held"})
        assert answer.status_code == 200, answer.text
        assert [session["theme"] for session in answer.json()] == ["企业人才招引留用"]
        assert answer.json()[0]["visitors"] == 9
        assert supervisor.post("/v1/receptions", json=evening_session(20, "督查室不能安排")).status_code == 403
