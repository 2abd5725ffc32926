"""责成整改: a follow-up review (supervision's `review.recorded`) found the reply's promise not kept,
so the case is reopened under the same units on a new deadline, as after an unsatisfied evaluation.

A review comes after the reply: the case may be replied, evaluated or already closed. None of those
may reopen by a unit's or station's own action, so the rectification order is the one way back for
them; a case already reopened or being handled again is let be.
"""

from datetime import datetime

from contracts.supervision.reviews import ReviewRecorded
from contracts.vocabulary import CaseStatus
from services.routing import case as rules
from services.routing.calendar import WorkingCalendar

REVIEWED = frozenset({CaseStatus.REPLIED, CaseStatus.EVALUATED, CaseStatus.CLOSED})


def rectify(case: rules.Case, event: ReviewRecorded, calendar: WorkingCalendar, now: datetime) -> rules.Decision:
    if not event.rectify or case.status not in REVIEWED:
        return rules.Decision(case)
    reason = f"回头看未落实，责成整改 (rectification ordered): {event.rectification or ''}".strip()
    # reopen's move is the evaluated → reopened one; the order stands in for that evaluation
    return rules.reopen(case.model_copy(update={"status": CaseStatus.EVALUATED}), reason[:500], calendar, now)
