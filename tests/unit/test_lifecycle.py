from datetime import UTC, datetime

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import CaseStatus as S
from services.routing.lifecycle import ALLOWED, move

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.TRIAGED),
        (S.TRIAGED, S.ASSIGNED),
        (S.TRIAGED, S.CLOSED),
        (S.ASSIGNED, S.ACCEPTED),
        (S.ASSIGNED, S.RETURNED),
        (S.RETURNED, S.TRIAGED),
        (S.ACCEPTED, S.REPLIED),
        (S.REPLIED, S.EVALUATED),
        (S.EVALUATED, S.REOPENED),
        (S.REOPENED, S.REPLIED),
        (S.EVALUATED, S.CLOSED),
    ],
)
def test_allowed_moves_are_recorded_with_who_when_why(current, target):
    step = move(current, target, "station:xiashi", "现场答复", NOW)
    assert (step.status, step.actor, step.reason, step.at) == (target, "station:xiashi", "现场答复", NOW)


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.RECEIVED, S.ASSIGNED), (S.ASSIGNED, S.REPLIED), (S.CLOSED, S.REOPENED), (S.MERGED, S.TRIAGED)],
)
def test_other_moves_are_refused_with_a_clear_error(current, target):
    with pytest.raises(ServiceError) as raised:
        move(current, target, "routing", "", NOW)
    assert raised.value.code is ErrorCode.INVALID_TRANSITION
    assert current.value in raised.value.detail and target.value in raised.value.detail


def test_every_state_has_a_rule_and_closed_and_merged_are_final():
    assert set(ALLOWED) == set(S)
    assert ALLOWED[S.CLOSED] == ALLOWED[S.MERGED] == frozenset()
