"""A citizen's item through its whole lifecycle over the real broker, checked in the citizen's view:
assigned by the demo rules, signed, a co-unit's opinion, the lead's reply (class A); and a return
that goes back to triage and is reassigned by the station."""

from tests.conftest import wait_until


def key(admin, **body) -> str:
    created = admin.post("/v1/admin/api-keys", json={"scope": "330481", **body})
    assert created.status_code == 201, created.text
    return created.json()["key"]


def tracked(client, code: str, status: str):
    answer = client.get(f"/v1/public/opinions/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == status else None


def submit(platform, content: str) -> str:
    with platform.client() as citizen:
        body = {"division": "330481001", "channel": "web", "content": content, "contact": {"phone": "13812345678"}}
        accepted = citizen.post("/v1/public/opinions", json=body)
        assert accepted.status_code == 202, accepted.text
        code = accepted.json()["tracking_code"]
        wait_until(lambda: tracked(citizen, code, "assigned"))
    return code


def test_co_opinion_then_the_leads_reply_reaches_the_citizen(platform):
    with platform.admin() as admin:
        lead = key(admin, role="handler", label="交通运输局 办理员", unit="hn-transport")
        co = key(admin, role="handler", label="综合执法局 办理员", unit="hn-enforcement")
    code = submit(platform, "硖石街道文苑路公交站台顶棚破损，雨天无法候车")

    with platform.client(lead) as transport, platform.client(co) as enforcement:
        assert transport.post(f"/v1/cases/{code}/accept", json={"expected_version": 1}).status_code == 200
        too_early = transport.post(f"/v1/cases/{code}/co-opinion", json={"text": "主办不能发协办意见"})
        assert too_early.status_code == 403 and too_early.json()["field"] == "unit"
        opinion = enforcement.post(f"/v1/cases/{code}/co-opinion", json={"text": "内部：同意，配合施工围挡"})
        assert opinion.status_code == 200, opinion.text
        not_lead = enforcement.post(f"/v1/cases/{code}/reply", json={"text": "协办不能答复", "result_class": "A"})
        assert not_lead.status_code == 403
        bad_class = transport.post(f"/v1/cases/{code}/reply", json={"text": "答复", "result_class": "E"})
        assert bad_class.status_code == 422 and bad_class.json()["field"] == "result_class"

        reply = {"text": "已更换站台顶棚，并增设挡雨板。", "result_class": "A", "expected_version": 3}
        replied = transport.post(f"/v1/cases/{code}/reply", json=reply)
        assert replied.status_code == 200, replied.text
        assert replied.json()["status"] == "replied" and replied.json()["version"] == 4
        late = transport.post(f"/v1/cases/{code}/reply", json=reply)
        assert late.status_code == 409 and late.json()["state"]["reply"]["text"] == reply["text"]

    with platform.client() as citizen:
        view = wait_until(lambda: tracked(citizen, code, "replied"))
    assert view["reply"]["text"] == "已更换站台顶棚，并增设挡雨板。"
    assert (view["reply"]["result_class"], view["reply"]["label"]) == ("A", "已经解决或基本解决")
    assert view["lead_unit"]["id"] == "hn-transport"
    assert [step["status"] for step in view["history"]] == ["received", "triaged", "assigned", "accepted", "replied"]
    assert "内部" not in str(view) and "co_opinions" not in view


def test_a_returned_case_goes_back_to_triage_and_the_station_reassigns_it(platform):
    with platform.admin() as admin:
        lead = key(admin, role="handler", label="交通运输局 办理员", unit="hn-transport")
        station = key(admin, role="station", scope="330481001", label="硖石街道联络站")
    code = submit(platform, "硖石街道公交车站旁的围墙开裂")

    with platform.client(lead) as transport:
        back = transport.post(f"/v1/cases/{code}/return", json={"reason": "围墙属住建部门职责"})
        assert back.status_code == 200 and back.json()["status"] == "returned", back.text
    with platform.client() as citizen:
        seen = wait_until(lambda: tracked(citizen, code, "returned"))
        assert seen["lead_unit"] is None and "围墙属住建部门职责" not in str(seen)

    with platform.client(station) as xiashi:
        elsewhere = xiashi.post(f"/v1/cases/{code}/assign", json={"lead_unit": "changan-gov"})
        assert elsewhere.status_code == 422 and elsewhere.json()["field"] == "lead_unit"
        again = xiashi.post(f"/v1/cases/{code}/assign", json={"lead_unit": "hn-housing"})
        assert again.status_code == 200, again.text
        assert [s["status"] for s in again.json()["history"][-3:]] == ["returned", "triaged", "assigned"]

    with platform.client() as citizen:
        view = wait_until(
            lambda: (v := tracked(citizen, code, "assigned")) and v["lead_unit"]["id"] == "hn-housing" and v
        )
    assert [s["status"] for s in view["history"]][-3:] == ["returned", "triaged", "assigned"]
    assert view["due_date"] == again.json()["due_date"]
