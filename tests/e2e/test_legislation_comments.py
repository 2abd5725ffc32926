"""A draft's whole life over the real broker: the office opens a draft, a citizen comments online and a
contact point records a bilingual 鼓楼议事, the point reviews and submits them, the office pulls the
aggregates (ETag), the feed and the files, marks adoption, and the contributor is told through notify."""

from datetime import datetime, timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from infra.clock import SHANGHAI
from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key


def beijing(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).replace(tzinfo=None).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def legislation(platform_factory):
    return platform_factory("legis-comments", services=["legislation", "notify"])


def test_a_draft_from_opening_to_adoption_feedback(legislation):
    with legislation.admin() as admin:
        for code, name in (("450000", "广西壮族自治区"), ("451226", "三江侗族自治县")):
            assert admin.put(f"/v1/admin/divisions/{code}", json={"name": name}).status_code < 300
        office = {
            "office_id": "gx-fgw",
            "division": "450000",
            "name": "广西壮族自治区人大常委会法工委",
            "level": "provincial",
        }
        assert admin.post("/v1/legislation/offices", json=office).status_code == 201
        point = {"point_id": "sanjiang", "division": "451226", "name": "三江侗族自治县基层立法联系点"}
        assert admin.post("/v1/legislation/points", json=point).status_code == 201
        office_key = key(admin, role="legislative_office", scope="450000", label="自治区法工委")
        point_key = key(admin, role="contact_point", scope="451226", label="三江联系点")

    now = datetime.now(SHANGHAI)
    draft_in = {
        "office_id": "gx-fgw",
        "title": "广西壮族自治区乡村振兴促进条例（草案）",
        "level": "provincial",
        "version": "征求意见稿",
        "articles": [
            {"number": 1, "chapter": "第一章 总则", "text": "为了促进乡村振兴，制定本条例。"},
            {"number": 2, "chapter": "第一章 总则", "text": "各级人民政府应当保护传统村落和民族文化。"},
        ],
        "opens_at": beijing(now - timedelta(minutes=1)),
        "closes_at": beijing(now + timedelta(days=30)),
    }
    with legislation.client(office_key) as office_client:
        created = office_client.post("/v1/legislation/drafts", json=draft_in)
        assert created.status_code == 201, created.text
    draft_id = created.json()["draft_id"]

    with legislation.client() as citizen:
        unknown = citizen.post(f"/v1/public/drafts/{draft_id}/comments", json={"text": "意见", "articles": [9]})
        assert unknown.status_code == 422 and unknown.json()["field"] == "articles"
        online = {
            "articles": [2],
            "stance": "amend",
            "text": "建议第二条写明对侗族大歌传承人的补贴。",
            "point_id": "sanjiang",
            "contact": {"name": "龙美华", "phone": "13907721234"},
        }
        receipt = citizen.post(f"/v1/public/drafts/{draft_id}/comments", json=online)
        assert receipt.status_code == 201, receipt.text
        assert "13907721234" not in receipt.text
    online_id = receipt.json()["comment_id"]

    meeting = {
        "point_id": "sanjiang",
        "channel": "drum_tower",
        "meeting": {"held_on": now.date().isoformat(), "place": "程阳八寨马鞍寨鼓楼", "participants": 23},
        "articles": [2],
        "language": "kmc",
        "text": "Nyaoh dangc dih yangh jaix.",
        "translation": "希望保留鼓楼周边的老榕树。",
    }
    with legislation.client(point_key) as point_client:
        recorded = point_client.post(f"/v1/legislation/drafts/{draft_id}/comments", json=meeting)
        assert recorded.status_code == 201, recorded.text
        offline_id = recorded.json()["comment_id"]
        assert recorded.json()["translation"] == "希望保留鼓楼周边的老榕树。"
        for comment_id in (online_id, offline_id):
            assert point_client.post(f"/v1/legislation/comments/{comment_id}/accept").status_code == 200
        submitted = point_client.post(f"/v1/legislation/drafts/{draft_id}/submissions", json={"point_id": "sanjiang"})
        assert submitted.status_code == 201, submitted.text
        assert sorted(submitted.json()["comment_ids"]) == sorted([online_id, offline_id])
        frozen = point_client.post(f"/v1/legislation/comments/{offline_id}/edit", json={"text": "改写"})
        assert frozen.status_code == 409 and frozen.json()["field"] == "comment_id"

    with legislation.client() as citizen:
        public = citizen.get(f"/v1/public/drafts/{draft_id}").json()
    assert public["comment_counts"]["articles"] == [{"article": 2, "comments": 2, "participants": 24}]

    with legislation.client(office_key) as office_client:
        pulled = office_client.get(f"/v1/legislation/drafts/{draft_id}/aggregates")
        assert pulled.status_code == 200 and pulled.json()["totals"]["by_channel"] == {"online": 1, "drum_tower": 1}
        etag = pulled.headers["etag"]
        unchanged = office_client.get(f"/v1/legislation/drafts/{draft_id}/aggregates", headers={"If-None-Match": etag})
        assert unchanged.status_code == 304

        first = office_client.get(f"/v1/legislation/drafts/{draft_id}/feed").json()
        assert {item["comment_id"] for item in first["items"]} == {online_id, offline_id}
        assert all(item["status"] == "submitted" for item in first["items"])
        nothing = office_client.get(f"/v1/legislation/drafts/{draft_id}/feed", params={"cursor": first["cursor"]})
        assert nothing.json()["items"] == []
        bad = office_client.get(f"/v1/legislation/drafts/{draft_id}/feed", params={"cursor": "garbage"})
        assert bad.status_code == 422 and bad.json()["field"] == "cursor"

        csv = office_client.get(f"/v1/legislation/drafts/{draft_id}/comments/export", params={"format": "csv"})
        assert csv.content.startswith(b"\xef\xbb\xbf") and "鼓楼议事" in csv.content.decode("utf-8-sig")
        assert "13907721234" not in csv.content.decode("utf-8-sig")
        pdf = office_client.get(f"/v1/legislation/drafts/{draft_id}/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

        decision = {"decision": "adopted", "reason": "第二条已增加传承人补贴的规定"}
        decided = office_client.post(f"/v1/legislation/comments/{online_id}/adoption", json=decision)
        assert decided.status_code == 200 and decided.json()["adoption"]["decision"] == "adopted"
        figures = office_client.get(f"/v1/legislation/adoption/draft/{draft_id}").json()
        assert (figures["submitted"], figures["adopted"], figures["rate"]) == (2, 1, 0.5)
        changed = office_client.get(f"/v1/legislation/drafts/{draft_id}/feed", params={"cursor": first["cursor"]})
        assert [item["comment_id"] for item in changed.json()["items"]] == [online_id]

    config = {"AMQP_URI": legislation.amqp_uri}

    def told():
        with ClusterRpcProxy(config, timeout=10) as cluster:
            page = cluster.notify.inbox(f"contributor:{online_id}", "", 10)
        return page["items"]

    notes = wait_until(told)
    assert len(notes) == 1 and "已被采纳" in notes[0]["body"] and "13907721234" not in str(notes)
    with ClusterRpcProxy(config, timeout=10) as cluster:
        assert cluster.legislation.contact_for_feedback(online_id)["phone"] == "13907721234"
