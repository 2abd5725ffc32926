"""The reception rules: Beijing-time input, who may be on duty, draft → announced → held or cancelled,
and the week's notice counted in Beijing dates (seed 000: 提前一周向社会公告)."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.receptions import ReceptionIn, ReceptionStatus
from services.intake.receptions import session as rules
from services.intake.receptions.views import public_view
from tests.factories import actor

DIRECTORY = {
    ("station", "xiashi-station"): {
        "_id": "xiashi-station",
        "name": "硖石街道人大代表联络站",
        "division": "330481001",
        "active": True,
    },
    ("station", "closed-station"): {"_id": "closed-station", "name": "旧站", "division": "330481001", "active": False},
    ("deputy", "deputy-zhang-wei"): {
        "_id": "deputy-zhang-wei",
        "name": "张伟",
        "division": "330481001",
        "active": True,
        "station_ids": ["xiashi-station"],
    },
    ("deputy", "deputy-li-hong"): {
        "_id": "deputy-li-hong",
        "name": "李红",
        "division": "330481001",
        "active": True,
        "station_ids": ["xiashi-station", "closed-station"],
    },
    ("deputy", "deputy-wang-jun"): {
        "_id": "deputy-wang-jun",
        "name": "王军",
        "division": "330481102",
        "active": True,
        "station_ids": ["changan-station"],
    },
    ("deputy", "deputy-retired"): {
        "_id": "deputy-retired",
        "name": "赵六",
        "division": "330481001",
        "active": False,
        "station_ids": ["xiashi-station"],
    },
}
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 2026-11-23 10:00 in Beijing, a Monday


def directory(kind: str, entry_id: str) -> dict | None:
    return DIRECTORY.get((kind, entry_id))


def reception_in(**overrides) -> ReceptionIn:
    fields = dict(
        station_id="xiashi-station",
        starts_at="2026-12-01T09:00:00",
        ends_at="2026-12-01T11:30:00",
        deputy_ids=["deputy-zhang-wei", "deputy-li-hong"],
        theme="老旧小区加装电梯专题接待",
        officials=[{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}],
    )
    return ReceptionIn.model_validate({**fields, **overrides})


def planned(**overrides) -> rules.Reception:
    return rules.plan(reception_in(**overrides), directory, actor(role="station", scope="330481001"), NOW)


def refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        call()
    return raised.value


def test_a_time_without_an_offset_is_beijing_time_and_kept_in_utc():
    command = reception_in()
    assert command.starts_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert reception_in(starts_at="2026-12-01T01:00:00Z").starts_at == command.starts_at
    shown = public_view(planned()).model_dump(mode="json")
    assert shown["starts_at"] == "2026-12-01T09:00:00+08:00" and shown["ends_at"] == "2026-12-01T11:30:00+08:00"


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"ends_at": "2026-12-01T08:00:00"}, "ends_at", "结束时间应晚于开始时间"),
        ({"ends_at": "2026-12-02T09:00:00"}, "ends_at", "12 小时"),
        ({"deputy_ids": []}, "deputy_ids", "at least 1"),
        ({"deputy_ids": ["deputy-zhang-wei", "deputy-zhang-wei"]}, "deputy_ids", "值班代表重复"),
        ({"deputy_ids": ["Not An Id"]}, "deputy_ids.0", "pattern"),
        ({"theme": "x" * 101}, "theme", "at most 100"),
        ({"officials": [{"name": "刘建国"}]}, "officials.0.post", "required"),
        ({"starts_at": "下周二上午"}, "starts_at", "datetime"),
        ({"surprise": 1}, "surprise", "not permitted"),
    ],
)
def test_bad_input_is_refused_naming_the_field(overrides, field, says):
    with pytest.raises(ValidationError) as raised:
        reception_in(**overrides)
    first = raised.value.errors()[0]
    assert ".".join(str(part) for part in first["loc"]) == field and says in first["msg"]


def test_a_plan_names_the_station_and_its_deputies_as_a_draft():
    reception = planned()
    assert reception.status is ReceptionStatus.DRAFT and reception.division == "330481001"
    assert reception.station.name == "硖石街道人大代表联络站"
    assert [d.name for d in reception.deputies] == ["张伟", "李红"]
    assert reception.id.startswith("rcp-20261201-") and len(reception.id) == len("rcp-20261201-") + 6
    assert reception.created_by == "station:01KEY"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"station_id": "nowhere"}, ErrorCode.INVALID, "station_id"),
        ({"station_id": "closed-station", "deputy_ids": ["deputy-li-hong"]}, ErrorCode.INVALID, "station_id"),
        ({"deputy_ids": ["deputy-zhang-wei", "deputy-wang-jun"]}, ErrorCode.INVALID, "deputy_ids.1"),
        ({"deputy_ids": ["deputy-retired"]}, ErrorCode.INVALID, "deputy_ids.0"),
        ({"deputy_ids": ["deputy-nobody"]}, ErrorCode.INVALID, "deputy_ids.0"),
    ],
)
def test_only_an_active_station_and_its_own_active_deputies(overrides, code, field):
    refused = refusal(lambda: planned(**overrides))
    assert (refused.code, refused.field) == (code, field)


def test_a_station_outside_the_keys_scope_is_refused():
    outside = actor(role="station", scope="330481102")
    refused = refusal(lambda: rules.plan(reception_in(), directory, outside, NOW))
    assert (refused.code, refused.field) == (ErrorCode.FORBIDDEN, "station_id")


def test_a_week_ahead_needs_no_reason_and_the_announcement_time_is_recorded():
    announced = rules.announce(planned(starts_at="2026-11-30T09:00:00", ends_at="2026-11-30T11:00:00"), None, NOW)
    assert announced.status is ReceptionStatus.ANNOUNCED and announced.announced_at == NOW
    assert announced.late_reason is None


def test_less_than_a_week_ahead_needs_a_reason_which_is_kept():
    soon = planned(starts_at="2026-11-29T09:00:00", ends_at="2026-11-29T11:00:00")
    refused = refusal(lambda: rules.announce(soon, None, NOW))
    assert (refused.code, refused.field) == (ErrorCode.INVALID, "reason") and "6 天" in refused.detail
    announced = rules.announce(soon, "台风过境，接待改期", NOW)
    assert announced.status is ReceptionStatus.ANNOUNCED and announced.late_reason == "台风过境，接待改期"


def test_the_week_is_counted_in_beijing_dates_not_utc_ones():
    # Tuesday 1 December, 07:30 in Beijing, is still 30 November in UTC
    early = planned(starts_at="2026-12-01T07:30:00", ends_at="2026-12-01T09:00:00")
    # announced on Tuesday 24 November at 20:00 in Beijing: a week ahead by the calendar, 6.5 days by the clock
    evening = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert rules.announce(early, None, evening).status is ReceptionStatus.ANNOUNCED

    # 00:30 on Wednesday 25 November in Beijing is still the 24th in UTC: only 6 days before the 1st
    past_midnight = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)
    later = planned(starts_at="2026-12-01T09:00:00", ends_at="2026-12-01T11:00:00")
    assert refusal(lambda: rules.announce(later, None, past_midnight)).field == "reason"


def test_a_session_is_held_once_announced_and_begun():
    announced = rules.announce(planned(), None, NOW)
    not_yet = refusal(lambda: rules.hold(announced, 12, NOW))
    assert (not_yet.code, not_yet.field) == (ErrorCode.INVALID_TRANSITION, "status")
    after = datetime(2026, 12, 1, 3, 40, tzinfo=UTC)
    held = rules.hold(announced, 12, after)
    assert held.status is ReceptionStatus.HELD and held.held_at == after and held.visitors == 12

    draft = refusal(lambda: rules.hold(planned(), None, after))
    assert draft.code is ErrorCode.INVALID_TRANSITION and draft.state["status"] == "draft"


def test_draft_or_announced_may_be_cancelled_with_the_reason_but_not_twice_nor_once_held():
    cancelled = rules.cancel(rules.announce(planned(), None, NOW), "台风预警，接待取消", NOW)
    assert cancelled.status is ReceptionStatus.CANCELLED and cancelled.cancel_reason == "台风预警，接待取消"
    assert rules.cancel(planned(), "重复安排", NOW).status is ReceptionStatus.CANCELLED
    assert refusal(lambda: rules.cancel(cancelled, "再取消", NOW)).code is ErrorCode.INVALID_TRANSITION
    assert refusal(lambda: rules.announce(cancelled, None, NOW)).code is ErrorCode.INVALID_TRANSITION
    held = rules.hold(rules.announce(planned(), None, NOW), None, datetime(2026, 12, 1, 4, tzinfo=UTC))
    assert refusal(lambda: rules.cancel(held, "事后取消", NOW)).code is ErrorCode.INVALID_TRANSITION


def test_announcing_twice_is_refused_with_the_current_state():
    announced = rules.announce(planned(), None, NOW)
    refused = refusal(lambda: rules.announce(announced, None, NOW))
    assert refused.code is ErrorCode.INVALID_TRANSITION and refused.state["status"] == "announced"


def test_the_public_notice_carries_no_bookkeeping():
    shown = public_view(rules.announce(planned(), None, NOW)).model_dump(mode="json")
    assert shown["station"] == {"id": "xiashi-station", "name": "硖石街道人大代表联络站"}
    assert shown["officials"] == [{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}]
    assert shown["announced_at"] == "2026-11-23T10:00:00+08:00"
    assert not {"created_by", "late_reason", "items", "version", "visitors"} & set(shown)
