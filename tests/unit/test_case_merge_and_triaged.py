"""合并处置 by hand and `case.triaged`: the pure rules and the read models' pure changes."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseMerged, CaseTriaged, MergeIn, UnitRef
from contracts.vocabulary import CaseStatus as S
from services.intake.grouping.follow import merged_case
from services.intake.opinion import Opinion
from services.notify.notification import for_case_triaged
from services.routing.calendar import WorkingCalendar
from services.routing.case import Context, merge_by_hand
from tests.unit.test_lifecycle import DIRECTORY, LEAD, LEAD_KEY, NOW, STATION, case_in

PRIMARY = case_in(S.ASSIGNED, case_id="7K3P-9XTA-2MQX", case_number="330481-2026-000007")


def ctx(*cases) -> Context:
    stored = {case.case_id: case for case in cases}
    return Context(calendar=WorkingCalendar(), unit=DIRECTORY.get, now=NOW, case=stored.get)


def member(status: S = S.TRIAGED):
    return case_in(status, lead_unit=None, co_units=[])


def test_a_station_merges_a_case_into_an_open_primary_and_announces_it():
    decision = merge_by_hand(member(), MergeIn(primary="7k3p-9xta-2mqx"), STATION, ctx(PRIMARY))
    assert decision.case.status is S.MERGED and decision.case.merged_into == PRIMARY.case_id
    assert "330481-2026-000007" in decision.case.history[-1].reason
    (event,) = decision.events
    assert isinstance(event, CaseMerged) and (event.primary, event.merged_by) == (PRIMARY.case_id, STATION.ref)
    assert event.primary_case_number == "330481-2026-000007" and event.transitions[-1].status is S.MERGED


@pytest.mark.parametrize(
    ("case", "primary", "key", "code", "field"),
    [
        (member(), "7K3P-9XTA-ZZZZ", STATION, ErrorCode.INVALID, "primary"),
        (member(), "7K3P-9XTA-2MQD", STATION, ErrorCode.INVALID, "primary"),  # itself
        (member(), "7K3P-9XTA-2MQX", LEAD_KEY, ErrorCode.FORBIDDEN, "role"),
        (member(S.REPLIED), "7K3P-9XTA-2MQX", STATION, ErrorCode.INVALID_TRANSITION, "status"),
        (member(S.CLOSED), "7K3P-9XTA-2MQX", STATION, ErrorCode.INVALID_TRANSITION, "status"),
    ],
)
def test_a_merge_that_may_not_happen_is_refused(case, primary, key, code, field):
    with pytest.raises(ServiceError) as raised:
        merge_by_hand(case, MergeIn(primary=primary), key, ctx(PRIMARY))
    assert (raised.value.code, raised.value.field) == (code, field)


@pytest.mark.parametrize("status", [S.MERGED, S.CLOSED])
def test_a_merged_or_closed_primary_is_refused(status):
    closed = PRIMARY.model_copy(update={"status": status})
    with pytest.raises(ServiceError) as raised:
        merge_by_hand(member(), MergeIn(primary=PRIMARY.case_id), STATION, ctx(closed))
    assert raised.value.field == "primary"


def test_a_primary_outside_the_stations_scope_is_as_good_as_unknown():
    elsewhere = PRIMARY.model_copy(update={"division": "330482001"})
    with pytest.raises(ServiceError) as raised:
        merge_by_hand(member(), MergeIn(primary=PRIMARY.case_id), STATION, ctx(elsewhere))
    assert raised.value.field == "primary" and "330482" not in raised.value.detail


def test_the_members_opinion_follows_the_primary_without_naming_its_tracking_code():
    opinion = Opinion(
        tracking_code="7K3P-9XTA-2MQD", division="330481001", channel="web", content="坑", submitted_at=NOW,
        status=S.TRIAGED, history=[],
    )  # fmt: skip
    primary = opinion.model_copy(update={"tracking_code": PRIMARY.case_id, "status": S.ASSIGNED, "lead_unit": LEAD})
    event = CaseMerged(
        case_id=opinion.tracking_code, division="330481001", at=NOW, primary=PRIMARY.case_id,
        primary_case_number="330481-2026-000007", merged_by=STATION.ref,
    )  # fmt: skip
    followed = merged_case(opinion, primary, event)
    assert (followed.status, followed.lead_unit, followed.follows) == (S.ASSIGNED, LEAD, PRIMARY.case_id)
    assert "330481-2026-000007" in followed.history[-1].reason and PRIMARY.case_id not in followed.history[-1].reason
    alone = merged_case(opinion, None, event.model_copy(update={"primary_case_number": None}))
    assert alone.status is S.MERGED and alone.follows == PRIMARY.case_id


def test_only_an_item_left_for_manual_triage_reaches_the_station():
    left = CaseTriaged(
        case_id="7K3P-9XTA-2MQD", division="330481001", at=NOW, matched=False,
        suggested_units=[UnitRef(id="hn-housing", name="海宁市住房和城乡建设局")],
    )  # fmt: skip
    (note,) = for_case_triaged("ev", left, NOW)
    assert note.recipient == "station:330481001" and note.id == "ev:station:330481001"
    assert "海宁市住房和城乡建设局" in note.body and note.kind == "case.triaged"
    assert "暂无" in for_case_triaged("ev", left.model_copy(update={"suggested_units": []}), NOW)[0].body
    assert for_case_triaged("ev", left.model_copy(update={"matched": True, "level": "assign"}), NOW) == []
