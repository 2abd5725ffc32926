"""约见请求 as a pure rule (services/routing/case.py `request_meeting`): the lead unit only, on a signed or
reopened case, for a date not before today in Asia/Shanghai; kept in the history and the case's requests."""

from datetime import UTC, date, datetime

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseMeetingRequested, MeetingRequestIn
from contracts.vocabulary import CaseStatus as S
from services.routing.case import ACTIONS, request_meeting
from tests.factories import actor
from tests.unit.test_lifecycle import CO_KEY, LEAD_KEY, NOW, STATION, SUPERVISOR, case_in, ctx

ASK = MeetingRequestIn(stage="after", on=date(2026, 11, 27), place="许村镇人大代表联络站", note="回访代表")


def refused(case, command, key, now=NOW) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        request_meeting(case, command, key, ctx(now))
    return raised.value


@pytest.mark.parametrize("status", [S.ACCEPTED, S.REOPENED])
def test_the_lead_unit_asks_and_the_case_and_event_keep_the_meeting(status):
    decision = request_meeting(case_in(status, deputy="deputy-li-na"), ASK, LEAD_KEY, ctx())
    case, (event,) = decision.case, decision.events

    assert case.status is status
    (asked,) = case.meeting_requests
    assert (asked.unit.id, asked.actor, asked.on, asked.place, asked.note) == (
        "hn-transport",
        "unit:hn-transport",
        date(2026, 11, 27),
        "许村镇人大代表联络站",
        "回访代表",
    )
    (step,) = case.history
    assert (step.action, step.status, step.actor) == ("request-meeting", status, "unit:hn-transport")
    assert "办后约见" in step.reason
    assert isinstance(event, CaseMeetingRequested) and event.transitions == []
    assert (event.stage, event.stage_label, event.on, event.place) == ("after", "办后", date(2026, 11, 27), ASK.place)
    assert event.deputy == "deputy-li-na" and event.unit.id == "hn-transport"
    assert ACTIONS["request-meeting"] == (MeetingRequestIn, request_meeting)


def test_a_second_request_is_kept_beside_the_first():
    first = request_meeting(case_in(S.ACCEPTED), ASK, LEAD_KEY, ctx()).case
    second = ASK.model_copy(update={"stage": "during", "on": date(2026, 12, 1)})
    case = request_meeting(first, second, LEAD_KEY, ctx()).case
    assert [r.stage for r in case.meeting_requests] == ["after", "during"]


@pytest.mark.parametrize("key", [CO_KEY, STATION, SUPERVISOR, actor(role="deputy", deputy="deputy-zhang-wei")])
def test_only_the_lead_unit_may_ask(key):
    error = refused(case_in(S.ACCEPTED), ASK, key)
    assert (error.code, error.field) == (ErrorCode.FORBIDDEN, "unit")


@pytest.mark.parametrize("status", [S.ASSIGNED, S.TRIAGED, S.REPLIED, S.EVALUATED, S.CLOSED, S.MERGED])
def test_only_a_signed_or_reopened_case(status):
    error = refused(case_in(status), ASK, LEAD_KEY)
    assert (error.code, error.field) == (ErrorCode.INVALID_TRANSITION, "status")


def test_the_date_is_judged_in_shanghai_and_may_not_be_past():
    just_after_midnight = datetime(2026, 11, 26, 16, 30, tzinfo=UTC)  # 27 Nov, 00:30 in Shanghai
    assert request_meeting(case_in(S.ACCEPTED), ASK, LEAD_KEY, ctx(just_after_midnight)).case.meeting_requests
    error = refused(case_in(S.ACCEPTED), ASK, LEAD_KEY, datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    assert (error.code, error.field) == (ErrorCode.INVALID, "on") and "早于今天" in error.detail
