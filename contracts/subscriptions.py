"""Who consumes which event.

Every publisher declares these consumers' queues before it publishes, so an event sent before
its consumer has ever started waits in that consumer's queue instead of being dropped by the
exchange. A test checks this table against the handlers the services declare.
"""

from contracts.intake.opinions import ContactErased, OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.message import Message
from contracts.routing import (
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

SUBSCRIPTIONS: dict[type[Message], tuple[tuple[str, str], ...]] = {
    OpinionReceived: (("routing", "on_opinion_received"), ("intake", "group_received_opinion")),
    OpinionMerged: (
        ("routing", "on_opinion_merged"),
        ("intake", "on_opinion_merged"),
        ("supervision", "on_opinions_merged"),
    ),
    SuggestionAccepted: (("routing", "on_suggestion_accepted"),),
    ContactErased: (("notify", "on_contact_erased"),),
    EvaluationRecorded: (("routing", "on_evaluation_recorded"), ("intake", "on_evaluation_recorded")),
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
    ),
    CaseReopened: (("intake", "on_case_reopened"), ("supervision", "on_case_reopened")),
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
}
