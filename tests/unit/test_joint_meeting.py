"""约请共商会: a joint case waits for its units' meeting; the station records it, then may assign."""

from datetime import date

import pytest

from contracts.errors import ErrorCode
from contracts.routing import AssignIn, CaseTriage, JointMeetingIn, TriageLevel, UnitRef
from contracts.vocabulary import CaseStatus as S
from services.routing.case import assign_by_hand, joint_meeting
from tests.unit.test_lifecycle import LEAD_KEY, STATION, case_in, ctx, refused

MEETING = JointMeetingIn(
    on=date(2026, 11, 25), place="联络站议事厅", units=["hn-housing", "hn-transport"], decisions="住建局牵头"
)


@pytest.fixture
def waiting():
    triage = CaseTriage(
        level=TriageLevel.JOINT,
        proposed_lead=UnitRef(id="hn-housing", name="海宁市住房和城乡建设局"),
        needs_meeting=True,
    )
    return case_in(S.TRIAGED, lead_unit=None, co_units=[], due_date=None, triage=triage)


def test_the_meeting_is_recorded_and_then_the_case_may_be_assigned(waiting):
    blocked = refused(assign_by_hand, waiting, AssignIn(lead_unit="hn-housing"), STATION)
    assert blocked.code is ErrorCode.INVALID_TRANSITION and blocked.field == "triage"

    met = joint_meeting(waiting, MEETING, STATION, ctx()).case
    assert met.status is S.TRIAGED and met.triage.needs_meeting is False
    assert [unit.id for unit in met.triage.meeting.units] == ["hn-housing", "hn-transport"]
    assert met.history[-1].action == "joint-meeting" and "海宁市交通运输局" in met.history[-1].reason

    assigned = assign_by_hand(met, AssignIn(lead_unit="hn-housing", co_units=["hn-transport"]), STATION, ctx())
    assert assigned.case.status is S.ASSIGNED and assigned.case.triage.meeting == met.triage.meeting


def test_only_a_station_records_it_only_for_a_joint_case_with_units_of_its_division(waiting):
    assert refused(joint_meeting, waiting, MEETING, LEAD_KEY).field == "role"
    assert refused(joint_meeting, case_in(S.TRIAGED), MEETING, STATION).field == "triage"
    foreign = MEETING.model_copy(update={"units": ["hn-housing", "tx-transport"]})
    assert refused(joint_meeting, waiting, foreign, STATION).field == "units"
    twice = MEETING.model_copy(update={"units": ["hn-housing", "hn-housing"]})
    assert refused(joint_meeting, waiting, twice, STATION).field == "units"
