"""Near-duplicates over HTTP: three citizens describe one pothole in their own words, intake groups
them, a station merges the group, routing shows the members merged into the primary's case, each
submitter's view follows it; hot words count them."""

from tests.conftest import wait_until
from tests.unit.test_intake_grouping import POTHOLE, STREET_LIGHT

DIVISION = "330483"  # no routing rule here: cases wait at triage, where a station merges them


def submit(citizen, content: str) -> str:
    answer = citizen.post("/v1/public/opinions", json={"division": DIVISION, "channel": "web", "content": content})
    assert answer.status_code == 202, answer.text
    return answer.json()["tracking_code"]


def group_of(station, codes: list[str]) -> dict | None:
    groups = station.get(f"/v1/opinion-groups?division={DIVISION}").json()
    return next((g for g in groups if {m["tracking_code"] for m in g["members"]} == set(codes)), None)


def merged_cases(admin, codes: list[str]) -> list[dict] | None:
    cases = [c for c in admin.get(f"/v1/cases?division={DIVISION}&limit=500").json() if c["case_id"] in codes]
    return cases if len(cases) == len(codes) and all(c["status"] == "merged" for c in cases) else None


def followed(citizen, code: str) -> dict | None:
    view = citizen.get(f"/v1/public/opinions/{code}").json()
    return view if view["history"][-1]["status"] == "merged" else None


def test_one_pothole_in_three_wordings_is_grouped_merged_and_followed(platform):
    with platform.admin() as admin:
        assert admin.put(f"/v1/admin/divisions/{DIVISION}", json={"name": "桐乡市"}).status_code == 200
        issued = admin.post(
            "/v1/admin/api-keys", json={"role": "station", "scope": DIVISION, "label": "梧桐街道联络站"}
        )
        assert issued.status_code == 201, issued.text
    with platform.client() as citizen:
        codes = [submit(citizen, text) for text in POTHOLE]
        light = submit(citizen, STREET_LIGHT)

    with platform.client(issued.json()["key"]) as station:
        group = wait_until(lambda: group_of(station, codes))
        listed = [
            m["tracking_code"]
            for g in station.get(f"/v1/opinion-groups?division={DIVISION}").json()
            for m in g["members"]
        ]
        assert light not in listed and group["size"] == 3 and "文苑路" in group["terms"]
        assert {m["excerpt"] for m in group["members"]} == set(POTHOLE) and "contact" not in str(group)

        answer = station.post(
            f"/v1/opinion-groups/{group['group_id']}/merge",
            json={"primary": codes[0], "expected_version": group["version"]},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["primary"] == codes[0]
        assert sorted(m["tracking_code"] for m in answer.json()["members"] if m["merged"]) == sorted(codes[1:])

        words = station.get(f"/v1/hot-words?division={DIVISION}").json()
        assert {"term": "文苑路", "count": 4} in words["words"] and {"term": "坑洼", "count": 3} in words["words"]
        assert words["items"] == 4

    with platform.admin() as admin:
        members = wait_until(lambda: merged_cases(admin, codes[1:]))
        primary = [c for c in admin.get(f"/v1/cases?division={DIVISION}&limit=500").json() if c["case_id"] == codes[0]]
    assert all(case["history"][-1]["reason"].startswith(f"合并至 {codes[0]}") for case in members)
    assert primary[0]["status"] == "triaged"

    with platform.client() as citizen:
        view = wait_until(lambda: followed(citizen, codes[1]))
        assert view["status"] == citizen.get(f"/v1/public/opinions/{codes[0]}").json()["status"]  # the primary's
    assert codes[0] not in str(view)  # another citizen's tracking code is never shown
