"""Who consumes which event.

Every publisher declares these consumers' queues before it publishes, so an event sent before
its consumer has ever started waits in that consumer's queue instead of being dropped by the
exchange. A test checks this table against the handlers the services declare.
"""

from contracts.intake.evaluation_codes import EvaluationCodeIssued
from contracts.intake.opinions import ContactErased, OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.legislation.comments import CommentAdoptionDecided, CommentsSubmitted
from contracts.legislation.drafts import DraftClosed, DraftOpened
from contracts.legislation.tasks import TaskAssigned, TaskForwarded
from contracts.message import Message
from contracts.routing import (
    CalendarDaySet,
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseConsultationAnswered,
    CaseConsultationRequested,
    CaseCoOpinionSent,
    CaseEscalated,
    CaseExtensionDecided,
    CaseExtensionRequested,
    CaseMeetingRecorded,
    CaseMeetingRequested,
    CaseMerged,
    CasePaused,
    CaseProgressRecorded,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
    CaseTriaged,
)
from contracts.supervision import EvaluationRecorded
from contracts.supervision.evaluation_window import EvaluationRequested
from contracts.supervision.key_items import CaseKeyMarked
from contracts.supervision.reviews import ReviewDue, ReviewRecorded
from contracts.supervision.watch import CaseDueSoon, CaseHalfTime, CaseOverdue

Table = dict[type[Message], tuple[tuple[str, str], ...]]

# the intake-to-routing path and the case lifecycle's read models
CASES: Table = {
    OpinionReceived: (
        ("routing", "on_opinion_received"),
        ("intake", "group_received_opinion"),
        ("supervision", "ledger_on_opinion_received"),
        ("notify", "on_opinion_received"),
    ),
    OpinionMerged: (
        ("routing", "on_opinion_merged"),
        ("intake", "on_opinion_merged"),
        ("supervision", "on_opinions_merged"),
    ),
    SuggestionAccepted: (("routing", "on_suggestion_accepted"),),
    ContactErased: (("notify", "on_contact_erased"),),
    EvaluationRecorded: (
        ("routing", "on_evaluation_recorded"),
        ("intake", "on_evaluation_recorded"),
        ("notify", "on_evaluation_recorded"),
        ("supervision", "ledger_on_evaluation_recorded"),
    ),
    CaseAssigned: (
        ("intake", "on_case_assigned"),
        ("supervision", "on_case_assigned"),
        ("notify", "on_case_assigned"),
        ("routing", "learn_from_assignment"),
    ),
    CaseAccepted: (
        ("intake", "on_case_accepted"),
        ("supervision", "on_case_accepted"),
    ),
    # the lifecycle's events (services/routing/case.py ACTIONS)
    CaseReturned: (
        ("intake", "on_case_returned"),
        ("supervision", "on_case_returned"),
    ),
    CaseReplied: (
        ("intake", "on_case_replied"),
        ("supervision", "on_case_replied"),
        ("notify", "on_case_replied"),
    ),
    CaseReopened: (("intake", "on_case_reopened"), ("supervision", "on_case_reopened"), ("notify", "on_case_reopened")),
    CaseClosed: (
        ("intake", "on_case_closed"),
        ("supervision", "on_case_closed"),
    ),
    CaseEscalated: (("intake", "on_case_escalated"), ("supervision", "on_case_escalated")),
    CasePaused: (
        ("intake", "on_case_paused"),
        ("supervision", "on_case_paused"),
    ),
    CaseResumed: (
        ("intake", "on_case_resumed"),
        ("supervision", "on_case_resumed"),
    ),
    CaseExtensionRequested: (("supervision", "on_case_extension_requested"),),
    CaseExtensionDecided: (
        ("intake", "on_case_extension_decided"),
        ("supervision", "on_case_extension_decided"),
    ),
    CaseCoOpinionSent: (("supervision", "on_case_co_opinion_sent"),),
    CaseProgressRecorded: (("supervision", "on_case_progress_recorded"),),
    CaseMeetingRecorded: (("supervision", "on_case_meeting_recorded"),),
    # 征求拟办单位意见 (consult): the asked units, then the station, hear of it in notify's inbox
    CaseConsultationRequested: (("notify", "on_case_consultation_requested"),),
    CaseConsultationAnswered: (("notify", "on_case_consultation_answered"),),
    # 合并处置, by hand or for each member of intake's opinion.merged: the member follows its primary
    CaseMerged: (("intake", "on_case_merged"), ("supervision", "on_case_merged")),
    # 分级处理: an item left for manual triage is announced to its division's station inbox
    CaseTriaged: (("notify", "on_case_triaged"),),
    # the deadline watch (supervision): units hear of reminders, units and supervisors of overdue
    CaseDueSoon: (("notify", "on_case_due_soon"),),
    CaseOverdue: (("notify", "on_case_overdue"),),
    CaseHalfTime: (("notify", "on_case_half_time"),),
}

# 督办 statistics (services/supervision/statistics): every event that changes a case's figures moves
# supervision's counters; intake's events say where a case comes from (channel, category, deputy)
STATISTICS: Table = {
    OpinionReceived: (("supervision", "stats_on_opinion_received"),),
    SuggestionAccepted: (("supervision", "stats_on_suggestion_accepted"),),
    OpinionMerged: (("supervision", "stats_on_opinions_merged"),),
    CaseAssigned: (("supervision", "stats_on_case_assigned"),),
    CaseAccepted: (("supervision", "stats_on_case_accepted"),),
    CaseReturned: (("supervision", "stats_on_case_returned"),),
    CaseReplied: (("supervision", "stats_on_case_replied"),),
    CaseReopened: (("supervision", "stats_on_case_reopened"),),
    CaseClosed: (("supervision", "stats_on_case_closed"),),
    CaseEscalated: (("supervision", "stats_on_case_escalated"),),
    CasePaused: (("supervision", "stats_on_case_paused"),),
    CaseResumed: (("supervision", "stats_on_case_resumed"),),
    CaseExtensionDecided: (("supervision", "stats_on_case_extension_decided"),),
    CaseMeetingRecorded: (("supervision", "stats_on_case_meeting_recorded"),),
    CaseMerged: (("supervision", "stats_on_case_merged"),),
    EvaluationRecorded: (("supervision", "stats_on_evaluation_recorded"),),
}

# 督办 close the loop: key items, the evaluation window and code, follow-up reviews (回头看) and the
# rectification order routing carries out
CLOSE_THE_LOOP: Table = {
    EvaluationRecorded: (
        ("supervision", "key_on_evaluation_recorded"),
        ("supervision", "window_on_evaluation_recorded"),
    ),
    CaseReplied: (("supervision", "window_on_case_replied"), ("supervision", "reviews_on_case_replied")),
    EvaluationCodeIssued: (("notify", "on_evaluation_code_issued"),),
    EvaluationRequested: (("notify", "on_evaluation_requested"),),
    CaseKeyMarked: (("notify", "on_case_key_marked"),),
    ReviewDue: (("notify", "on_review_due"),),
    ReviewRecorded: (("routing", "on_review_recorded"),),
}

# county calendars (routing): the deadline watch counts its notice days on the county's days off too
COUNTY_CALENDARS: Table = {CalendarDaySet: (("supervision", "watch_on_calendar_day_set"),)}

# 基层立法联系点 (legislation): the office hears its consultation open and close, a contact point its
# tasks, given or forwarded (services/notify/legislation_notices.py)
LEGISLATION: Table = {
    DraftOpened: (("notify", "on_draft_opened"),),
    DraftClosed: (("notify", "on_draft_closed"),),
    TaskAssigned: (("notify", "on_task_assigned"),),
    TaskForwarded: (("notify", "on_task_forwarded"),),
    # 上报 and 采纳反馈: the office hears of a submission, the contributor of the decision on their comment
    CommentsSubmitted: (("notify", "on_comments_submitted"),),
    CommentAdoptionDecided: (("notify", "on_comment_adoption_decided"),),
}


# 约见: the lead unit asks the deputy for a meeting; notify tells the deputy (services/notify/meeting_notices.py)
MEETING_REQUESTS: Table = {CaseMeetingRequested: (("notify", "on_case_meeting_requested"),)}


def webhook_consumer(message: type[Message]) -> str:
    """notify's consumer planning the county systems' webhooks for `message` (services/notify/webhook_fanout.py)."""
    return "webhooks_on_" + message.TYPE.replace(".", "_")


def merged(*tables: Table) -> Table:
    """One row per event type: its consumers in every table, in the tables' order."""
    rows: Table = {}
    for table in tables:
        for message, consumers in table.items():
            rows[message] = (*rows.get(message, ()), *consumers)
    return rows


def with_webhooks(table: Table) -> Table:
    """County systems' webhook subscriptions may name any event type: notify consumes every one."""
    return {message: (*consumers, ("notify", webhook_consumer(message))) for message, consumers in table.items()}


SUBSCRIPTIONS: Table = with_webhooks(
    merged(CASES, STATISTICS, CLOSE_THE_LOOP, COUNTY_CALENDARS, LEGISLATION, MEETING_REQUESTS)
)
