"""The comments' routes with a fake broker: who may do what, bad input refused before any service is
asked, the contact sealed at the gateway, ETags, files."""

import base64
from types import SimpleNamespace

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway import deps
from gateway.clients import LegislationClient
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from tests.service.test_gateway_routers import Gateway

STAMP = "2026-11-23T02:00:00Z"
VIEW = {
    "comment_id": "01jd3y0q9z8x7w6v5t4s3r2q1p",
    "draft_id": "gx-rural-2026",
    "division": "451226",
    "point_id": "sanjiang-point",
    "task_id": None,
    "channel": "drum_tower",
    "articles": [2],
    "stance": "amend",
    "text": "Nyaoh dangc dih yangh jaix.",
    "language": "kmc",
    "translation": "希望保留鼓楼周边的老榕树。",
    "edited": None,
    "meeting": {"held_on": "2026-11-20", "place": "程阳八寨马鞍寨鼓楼", "participants": 23},
    "participants": 23,
    "status": "received",
    "merged_into": None,
    "duplicates": [],
    "reject_reason": None,
    "submission_id": None,
    "adoption": None,
    "has_contact": True,
    "received_at": STAMP,
    "seq": 7,
    "version": 1,
}
TALLY = {
    "comments": 2,
    "participants": 24,
    "by_division": {"451226": 2},
    "by_point": {},
    "by_channel": {},
    "by_stance": {},
}
AGGREGATE = {"draft_id": "gx-rural-2026", "title": "条例（草案）", "totals": TALLY, "articles": []}
SUBMISSION = {
    "submission_id": "01sub",
    "draft_id": "gx-rural-2026",
    "division": "451226",
    "point_id": "sanjiang-point",
    "comment_ids": [VIEW["comment_id"]],
    "note": "",
    "submitted_at": STAMP,
    "submitted_by": "contact_point:01KEY",
}
FIGURES = {
    "scope": "point:sanjiang-point",
    "submitted": 637,
    "adopted": 41,
    "fully_adopted": 30,
    "partly_adopted": 11,
    "not_adopted": 500,
    "undecided": 96,
    "rate": 0.0644,
}
OFFLINE = {
    "point_id": "sanjiang-point",
    "channel": "drum_tower",
    "meeting": {"held_on": "2026-11-20", "place": "程阳八寨马鞍寨鼓楼", "participants": 23},
    "articles": [2],
    "language": "kmc",
    "text": "Nyaoh dangc dih yangh jaix.",
    "translation": "希望保留鼓楼周边的老榕树。",
}
DRAFT = "/v1/legislation/drafts/gx-rural-2026"
COMMENT = f"/v1/legislation/comments/{VIEW['comment_id']}"
RECORDERS, REVIEWERS = {Role.CONTACT_POINT, Role.INFO_OFFICER}, {Role.CONTACT_POINT, Role.LEGISLATIVE_OFFICE}
PULLERS = {Role.LEGISLATIVE_OFFICE, Role.COUNTY_SYSTEM}
ROUTES = [
    ("POST", f"{DRAFT}/comments", OFFLINE, RECORDERS, "record_offline_comment"),
    ("GET", COMMENT, None, {*RECORDERS, *PULLERS}, "comment"),
    ("POST", f"{COMMENT}/accept", None, REVIEWERS, "review_comment"),
    ("POST", f"{COMMENT}/edit", {"text": "整理后的意见"}, REVIEWERS, "review_comment"),
    ("POST", f"{COMMENT}/reject", {"reason": "与草案无关"}, REVIEWERS, "review_comment"),
    ("POST", f"{COMMENT}/merge", {"into": "01other"}, REVIEWERS, "review_comment"),
    ("POST", f"{DRAFT}/submissions", {"point_id": "sanjiang-point"}, REVIEWERS, "submit_comments"),
    (
        "POST",
        f"{COMMENT}/adoption",
        {"decision": "adopted", "reason": "已吸收"},
        {Role.LEGISLATIVE_OFFICE},
        "decide_adoption",
    ),
    ("GET", f"{DRAFT}/aggregates", None, PULLERS, "comment_aggregates"),
    ("GET", f"{DRAFT}/feed", None, PULLERS, "comment_feed"),
    ("GET", f"{DRAFT}/comments/export?format=csv", None, PULLERS, "export_comments"),
    ("GET", f"{DRAFT}/report.pdf", None, PULLERS, "comment_report"),
    ("GET", "/v1/legislation/adoption/point/sanjiang-point", None, {Role.CONTACT_POINT, *PULLERS}, "adoption_figures"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.app.dependency_overrides[deps.legislation_client] = lambda: LegislationClient(gateway.broker)
    platform = SimpleNamespace(cipher=PiiCipher(DEV_PII_KEY), public_limiter=None)
    gateway.app.dependency_overrides[deps.platform_of] = lambda: platform
    answers = gateway.broker.answers
    for rpc in ("record_offline_comment", "comment", "review_comment", "decide_adoption"):
        answers[("legislation", rpc)] = lambda kw: VIEW
    answers[("legislation", "submit_public_comment")] = lambda kw: {
        "comment_id": "01new",
        "draft_id": "gx-rural-2026",
        "articles": kw["comment"]["articles"],
        "received_at": STAMP,
    }
    answers[("legislation", "submit_comments")] = lambda kw: SUBMISSION
    answers[("legislation", "comment_aggregates")] = lambda kw: AGGREGATE
    answers[("legislation", "comment_feed")] = lambda kw: {"items": [VIEW], "cursor": "ZmVlZDE", "more": False}
    answers[("legislation", "export_comments")] = lambda kw: {
        "media_type": "text/csv; charset=utf-8",
        "content": base64.b64encode("\ufeff意见编号\r\n".encode()).decode(),
    }
    answers[("legislation", "comment_report")] = lambda kw: {
        "media_type": "application/pdf",
        "content": base64.b64encode(b"%PDF-1.7").decode(),
    }
    answers[("legislation", "adoption_figures")] = lambda kw: FIGURES
    return gateway


@pytest.mark.parametrize(("method", "url", "body", "roles", "rpc"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_each_role_is_allowed_or_refused(gateway, method, url, body, roles, rpc):
    for role in Role:
        calls = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
            assert gateway.broker.calls[-1][1] == rpc
            assert gateway.broker.calls[-1][2].get("actor", {"role": role.value})["role"] == role.value
        else:
            assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert len(gateway.broker.calls) == calls


def test_a_division_figure_outside_the_keys_scope_is_refused(gateway):
    inside = gateway.request("GET", "/v1/legislation/adoption/division/451226", Role.LEGISLATIVE_OFFICE, scope="45")
    outside = gateway.request("GET", "/v1/legislation/adoption/division/451226", Role.LEGISLATIVE_OFFICE, scope="44")
    assert inside.status_code == 200 and inside.json()["rate"] == 0.0644
    assert outside.status_code == 403 and outside.json()["field"] == "key"


def test_a_scope_refusal_of_the_service_is_a_problem(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.FORBIDDEN, "该联系点不在密钥的管辖范围内", "point_id")
    answer = gateway.request("POST", f"{DRAFT}/comments", Role.CONTACT_POINT, scope="450102", json=OFFLINE)
    assert answer.status_code == 403 and answer.json()["field"] == "point_id"


def test_a_public_comment_needs_no_key_and_its_contact_is_sealed(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    body = {
        "articles": [3, 3, 1],
        "stance": "amend",
        "text": "建议增加非遗扶持。",
        "contact": {"name": "龙美华", "phone": "139 0772 1234"},
    }
    answer = gateway.request("POST", "/v1/public/drafts/gx-rural-2026/comments", json=body)

    assert answer.status_code == 201 and answer.json()["articles"] == [1, 3]
    sent = gateway.broker.calls[-1][2]
    assert "13907721234" not in str(sent) and "龙美华" not in str(sent)
    assert PiiCipher(DEV_PII_KEY).open_dict(sent["comment"]["contact"])["phone"] == "13907721234"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "意见", "articles": [0]}, "articles.0"),
        ({"text": "意见", "stance": "maybe"}, "stance"),
        ({"text": "意见", "contact": {"phone": "12"}}, "contact.phone"),
        ({"text": "意见", "division": "45"}, "division"),
    ],
)
def test_a_bad_public_comment_is_refused_naming_the_field_and_reaches_no_service(gateway, body, field):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    answer = gateway.request("POST", "/v1/public/drafts/gx-rural-2026/comments", json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field and gateway.broker.calls == []


def test_a_closed_draft_or_unknown_article_comes_back_as_a_problem(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID_TRANSITION, "草案不在征求意见期内", "draft_id")
    closed = gateway.request("POST", "/v1/public/drafts/gx-rural-2026/comments", json={"text": "意见"})
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID, "草案没有第 99 条", "articles")
    unknown = gateway.request(
        "POST", "/v1/public/drafts/gx-rural-2026/comments", json={"text": "意见", "articles": [99]}
    )
    assert (closed.status_code, closed.json()["field"]) == (409, "draft_id")
    assert (unknown.status_code, unknown.json()["field"]) == (422, "articles")


def test_an_offline_record_in_another_language_needs_its_translation(gateway):
    body = {**OFFLINE, "translation": None}
    answer = gateway.request("POST", f"{DRAFT}/comments", Role.CONTACT_POINT, json=body)
    assert answer.status_code == 422 and answer.json()["field"] == "translation" and gateway.broker.calls == []


def test_the_aggregates_carry_an_etag_and_answer_304_when_unchanged(gateway):
    first = gateway.request("GET", f"{DRAFT}/aggregates", Role.LEGISLATIVE_OFFICE)
    etag = first.headers["etag"]
    assert first.status_code == 200 and first.json()["totals"]["comments"] == 2

    again = gateway.request("GET", f"{DRAFT}/aggregates", Role.LEGISLATIVE_OFFICE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag

    gateway.broker.answers[("legislation", "comment_aggregates")] = lambda kw: {
        **AGGREGATE,
        "totals": {**TALLY, "comments": 3},
    }
    changed = gateway.request("GET", f"{DRAFT}/aggregates", Role.LEGISLATIVE_OFFICE, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_the_feed_passes_the_cursor_and_a_malformed_one_is_a_problem(gateway):
    gateway.request("GET", f"{DRAFT}/feed?cursor=ZmVlZDE&limit=5", Role.COUNTY_SYSTEM)
    assert {k: gateway.broker.calls[-1][2][k] for k in ("cursor", "limit")} == {"cursor": "ZmVlZDE", "limit": 5}
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID, "游标无效", "cursor")
    answer = gateway.request("GET", f"{DRAFT}/feed?cursor=garbage", Role.COUNTY_SYSTEM)
    assert answer.status_code == 422 and answer.json()["field"] == "cursor"


def test_files_come_with_their_media_type(gateway):
    csv = gateway.request("GET", f"{DRAFT}/comments/export?format=csv", Role.LEGISLATIVE_OFFICE)
    assert csv.headers["content-type"].startswith("text/csv") and csv.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv.headers["content-disposition"]
    pdf = gateway.request("GET", f"{DRAFT}/report.pdf", Role.LEGISLATIVE_OFFICE)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = gateway.request("GET", f"{DRAFT}/comments/export?format=doc", Role.LEGISLATIVE_OFFICE)
    assert bad.status_code == 422 and bad.json()["field"] == "format"
