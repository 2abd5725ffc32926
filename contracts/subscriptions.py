"""Who consumes which event.

Every publisher declares these consumers' queues before it publishes, so an event sent before
its consumer has ever started waits in that consumer's queue instead of being dropped by the
exchange. A test checks this table against the handlers the services declare.
"""

from contracts.intake.opinions import ContactErased, OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.message import Message
from contracts.routing import CaseAccepted, CaseAssigned

SUBSCRIPTIONS: dict[type[Message], tuple[tuple[str, str], ...]] = {
    OpinionReceived: (("routing", "on_opinion_received"), ("intake", "group_received_opinion")),
    OpinionMerged: (
        ("routing", "on_opinion_merged"),
        ("intake", "on_opinion_merged"),
        ("supervision", "on_opinions_merged"),
    ),
    SuggestionAccepted: (("routing", "on_suggestion_accepted"),),
    ContactErased: (("notify", "on_contact_erased"),),
    CaseAssigned: (
        ("intake", "on_case_assigned"),
        ("supervision", "on_case_assigned"),
        ("notify", "on_case_assigned"),
    ),
    CaseAccepted: (
        ("intake", "on_case_accepted"),
        ("supervision", "on_case_accepted"),
    ),
}
