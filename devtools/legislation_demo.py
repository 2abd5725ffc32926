"""The demo set's legislation part: an office, three contact points that collaborate across three
provinces (三江 with 从江 and 通道), officers and a collection point, a draft of twenty articles open
now, and its task given to 三江 and forwarded to 从江."""

from datetime import UTC, datetime, timedelta

import httpx

from devtools.legislation_texts import SANJIANG_TOURISM

OFFICE = {
    "office_id": "gx-fgw",
    "division": "450000",
    "name": "广西壮族自治区人大常委会法制工作委员会",
    "level": "provincial",
}
POINTS = [
    {"point_id": "congjiang", "division": "522633", "name": "从江县基层立法联系点", "address": "贵州省从江县丙妹镇"},
    {
        "point_id": "tongdao",
        "division": "431230",
        "name": "通道侗族自治县基层立法联系点",
        "address": "湖南省通道县双江镇",
    },
    {
        "point_id": "sanjiang",
        "division": "450226",
        "name": "三江侗族自治县基层立法联系点",
        "address": "广西三江侗族自治县古宜镇",
        "partners": ["congjiang", "tongdao"],
    },
]
OFFICERS = [
    {"officer_id": "sj-wu-meilan", "point_id": "sanjiang", "name": "吴美兰", "role": "liaison"},
    {"officer_id": "sj-yang-tongwen", "point_id": "sanjiang", "name": "杨通文", "role": "informant"},
    {"officer_id": "cj-pan-laomei", "point_id": "congjiang", "name": "潘老梅", "role": "liaison"},
]
COLLECTION_POINTS = [
    {
        "collection_point_id": "sj-chengyang",
        "point_id": "sanjiang",
        "division": "450226104",
        "name": "程阳八寨信息采集点",
        "address": "林溪镇平岩村程阳风雨桥旁",
    },
]
EXPLANATION = "为促进三江乡村旅游高质量发展、保护侗族优秀传统文化，自治区人大常委会法工委会同自治县起草了本草案。"
FOCUS = ["民宿客房不超过十四间按简易程序办理，是否合适？", "侗族大歌、百家宴等特色产品的扶持措施是否充分？"]


def tolerate_conflict(answer: httpx.Response) -> None:
    """An entry created before (a load interrupted and run again) is left as it is."""
    if answer.status_code != 409:
        answer.raise_for_status()


def load_legislation(client: httpx.Client, now: datetime | None = None) -> str:
    """Loads the set with an administrator's client; returns the open draft's id."""
    now = now or datetime.now(UTC)
    tolerate_conflict(client.post("/v1/legislation/offices", json=OFFICE))
    for point in POINTS:
        tolerate_conflict(client.post("/v1/legislation/points", json=point))
    for officer in OFFICERS:
        tolerate_conflict(client.post("/v1/legislation/officers", json=officer))
    for entry in COLLECTION_POINTS:
        tolerate_conflict(client.post("/v1/legislation/collection-points", json=entry))
    draft = {
        "office_id": OFFICE["office_id"],
        "title": "三江侗族自治县乡村旅游促进条例（草案）",
        "level": "provincial",
        "version": "征求意见稿",
        "explanation": EXPLANATION,
        "text": SANJIANG_TOURISM,
        "opens_at": (now - timedelta(days=3)).isoformat(),
        "closes_at": (now + timedelta(days=27)).isoformat(),
    }
    created = client.post("/v1/legislation/drafts", json=draft)
    created.raise_for_status()
    draft_id = created.json()["draft_id"]
    due = (now + timedelta(days=20)).date().isoformat()
    task = client.post(
        f"/v1/legislation/drafts/{draft_id}/tasks",
        json={
            "point_id": "sanjiang",
            "due_date": due,
            "focus_questions": FOCUS,
            "note": "请组织鼓楼议事，收集双语意见。",
        },
    )
    task.raise_for_status()
    forwarded = client.post(
        f"/v1/legislation/tasks/{task.json()['task_id']}/forward",
        json={"partner_point_id": "congjiang", "note": "请协助征集黔东南侗族村寨的意见。"},
    )
    forwarded.raise_for_status()
    return draft_id
