"""intake's use cases: each takes the store and what arrived, asks the domain, and saves."""

import logging

from prometheus_client import Counter

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import StaffOpinionView, SubmitOpinion
from contracts.routing import CaseAccepted, CaseAssigned
from infra.pii import PiiCipher
from services.intake import opinion as rules
from services.intake.opinion import Opinion
from services.intake.store import IntakeStore
from services.intake.views import staff_view

log = logging.getLogger(__name__)
OPINIONS_RECEIVED = Counter("opinions_received_total", "Opinions stored by intake", ["channel"])


def receive_opinion(store: IntakeStore, command: SubmitOpinion, envelope: Envelope) -> None:
    """Stores the opinion once per tracking code and announces it; a redelivery changes nothing."""
    opinion, received = rules.receive(command)
    if store.opinions.add(opinion, [received], envelope.correlation_id):
        OPINIONS_RECEIVED.labels(opinion.channel.value).inc()
        log.info("opinion %s received via %s", opinion.tracking_code, opinion.channel.value)


def apply_case_assigned(store: IntakeStore, event: CaseAssigned, envelope: Envelope) -> None:
    store.opinions.apply_once(event.case_id, envelope.event_id, lambda opinion: rules.assigned(opinion, event))


def apply_case_accepted(store: IntakeStore, event: CaseAccepted, envelope: Envelope) -> None:
    store.opinions.apply_once(event.case_id, envelope.event_id, lambda opinion: rules.accepted(opinion, event))


def find_opinion(store: IntakeStore, tracking_code: str) -> Opinion:
    opinion = store.opinions.get(tracking_code)
    if opinion is None:
        raise ServiceError(
            ErrorCode.NOT_FOUND,
            "查无此编号的民情事项；刚提交的事项可能仍在受理中，请稍后再查 "
            "(no opinion with this tracking code yet; a new one may still be on its way)",
            "tracking_code",
        )
    return opinion


def staff_view_of(store: IntakeStore, cipher: PiiCipher, tracking_code: str, actor: Actor) -> StaffOpinionView:
    opinion = find_opinion(store, tracking_code)
    contact = cipher.open(opinion.contact) if opinion.contact else None
    return staff_view(opinion, contact, rules.reveals_contact(actor.role))
