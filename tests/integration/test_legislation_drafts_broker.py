"""legislation over the real broker, through the gateway: a draft's window opens and closes by itself
(draft.opened and draft.closed reach notify, once each), and a task goes from the office to 三江 and
is forwarded across provinces to 从江, each point hearing of it in its inbox."""

from datetime import UTC, datetime, timedelta

import pytest

from devtools.legislation_demo import load_legislation
from devtools.legislation_texts import PROPERTY_MANAGEMENT, SANJIANG_TOURISM
from tests.conftest import wait_until

BEIJING = "+08:00"


@pytest.fixture(scope="module")
def legislation(platform_factory):
    return platform_factory("legislation", services=["legislation", "notify"], DRAFT_WINDOW_SECONDS="0.5")


def key(admin, role: str, scope: str) -> str:
    assert admin.put(f"/v1/admin/divisions/{scope}", json={"name": scope}).status_code == 200
    answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": f"{role} {scope}"})
    assert answer.status_code == 201, answer.text
    return answer.json()["key"]


def beijing(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def inbox(client) -> list[dict]:
    """The inbox of the key's role in its scope (`legislative_office:450000`, `contact_point:450226`)."""
    answer = client.get("/v1/notifications/inbox")
    assert answer.status_code == 200, answer.text
    return answer.json()


def register(admin) -> None:
    office = {"office_id": "gx-fgw", "division": "450000", "name": "广西人大常委会法工委", "level": "provincial"}
    assert admin.post("/v1/legislation/offices", json=office).status_code == 201
    congjiang = {"point_id": "congjiang", "division": "522633", "name": "从江县基层立法联系点"}
    assert admin.post("/v1/legislation/points", json=congjiang).status_code == 201
    # a provincial office's key (scope 450000) covers 450000 only: the administrator registers points
    sanjiang = {"point_id": "sanjiang", "division": "450226", "name": "三江侗族自治县基层立法联系点"}
    answer = admin.post("/v1/legislation/points", json={**sanjiang, "partners": ["congjiang"]})
    assert answer.status_code == 201, answer.text


def test_a_draft_opens_and_closes_on_time_and_a_task_travels_across_provinces(legislation):
    with legislation.admin() as admin:
        register(admin)
        office = legislation.client(key(admin, "legislative_office", "450000"))
        sanjiang = legislation.client(key(admin, "contact_point", "450226"))
        congjiang = legislation.client(key(admin, "contact_point", "522633"))
    public = legislation.client()
    now = datetime.now(UTC)
    draft = {
        "office_id": "gx-fgw",
        "title": "三江侗族自治县乡村旅游促进条例（草案）",
        "level": "provincial",
        "version": "征求意见稿",
        "text": SANJIANG_TOURISM,
        "opens_at": beijing(now + timedelta(seconds=2)),
        "closes_at": beijing(now + timedelta(days=10)),
    }
    created = office.post("/v1/legislation/drafts", json=draft)
    assert created.status_code == 201, created.text
    draft_id = created.json()["draft_id"]
    assert created.json()["status"] == "scheduled" and len(created.json()["articles"]) == 20
    assert public.get(f"/v1/public/drafts/{draft_id}").status_code == 404

    # the timer opens the window: draft.opened reaches notify, and the public sees the draft
    opened = wait_until(lambda: inbox(office))
    assert [note["title"] for note in opened] == ["草案开始征求意见"]
    listed = public.get("/v1/public/drafts").json()
    assert [item["draft_id"] for item in listed] == [draft_id] and listed[0]["status"] == "open"

    due = (now + timedelta(days=7)).date().isoformat()
    task = office.post(f"/v1/legislation/drafts/{draft_id}/tasks", json={"point_id": "sanjiang", "due_date": due})
    assert task.status_code == 201, task.text
    forward = f"/v1/legislation/tasks/{task.json()['task_id']}/forward"
    refused = sanjiang.post(forward, json={"partner_point_id": "nowhere"})
    assert refused.status_code == 422 and refused.json()["field"] == "partner_point_id"
    forwarded = sanjiang.post(forward, json={"partner_point_id": "congjiang"})
    assert forwarded.status_code == 201, forwarded.text
    held = congjiang.get(f"/v1/legislation/tasks/{forwarded.json()['task_id']}").json()
    assert [link["point_id"] for link in held["chain"]] == ["sanjiang", "congjiang"]
    assert [
        f["point_id"] for f in sanjiang.get(f"/v1/legislation/tasks/{task.json()['task_id']}").json()["forwards"]
    ] == ["congjiang"]
    assert wait_until(lambda: inbox(sanjiang))[0]["kind"] == "task.assigned"
    assert wait_until(lambda: inbox(congjiang))[0]["title"] == "协作联系点转来的征询任务"

    closed = office.post(f"/v1/legislation/drafts/{draft_id}/close", json={"reason": "常委会会议提前审议"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    notes = wait_until(lambda: (notes := inbox(office)) and len(notes) == 2 and notes)
    assert {note["kind"] for note in notes} == {"draft.opened", "draft.closed"}
    assert public.get("/v1/public/drafts").json() == []
    for client in (office, sanjiang, congjiang, public):
        client.close()


def test_a_short_window_closes_by_itself_on_time(legislation):
    with legislation.admin() as admin:
        office = legislation.client(key(admin, "legislative_office", "450000"))
    now = datetime.now(UTC)
    draft = {
        "office_id": "gx-fgw",
        "title": "柳州市物业管理条例（草案）",
        "level": "provincial",
        "version": "一审稿",
        "text": PROPERTY_MANAGEMENT,
        "opens_at": beijing(now - timedelta(minutes=1)),
        "closes_at": beijing(now + timedelta(seconds=3)),
    }
    created = office.post("/v1/legislation/drafts", json=draft)
    assert created.status_code == 201, created.text

    def closed_notice():
        return [n for n in inbox(office) if n["kind"] == "draft.closed" and "柳州市物业管理条例" in n["body"]]

    (notice,) = wait_until(closed_notice)
    assert "征求意见期已届满" in notice["body"]
    shown = legislation.client().get(f"/v1/public/drafts/{created.json()['draft_id']}").json()
    assert shown["status"] == "closed" and shown["closed_early"] is False
    office.close()


def test_the_demo_set_loads_an_open_draft_and_a_forwarded_task(legislation):
    with legislation.admin() as admin:
        draft_id = load_legislation(admin)
        tasks = admin.get("/v1/legislation/tasks", params={"draft_id": draft_id}).json()
        directory = admin.get("/v1/legislation/directory", params={"division": "450226"}).json()
    assert {task["point_id"] for task in tasks} == {"sanjiang", "congjiang"}
    assert [o["name"] for o in directory["officers"]] == ["吴美兰", "杨通文"]
    shown = wait_until(
        lambda: (draft := legislation.client().get(f"/v1/public/drafts/{draft_id}")).is_success and draft
    )
    assert shown.json()["status"] == "open" and len(shown.json()["articles"]) == 20
