"""intake's use cases: each takes the store and what arrived, asks the domain, and saves."""

import logging
from collections.abc import Callable
from datetime import datetime

from prometheus_client import Counter

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.categories import CategoryList
from contracts.intake.opinions import (
    ContactErasedView,
    OpinionReceipt,
    Receiver,
    ReencryptionReport,
    StaffOpinionView,
    SubmitOpinion,
)
from contracts.routing import CaseAccepted, CaseAssigned, CaseEvent
from contracts.supervision import EvaluationRecorded, SubmitterProof
from contracts.vocabulary import within
from infra.aggregates import VersionConflict
from infra.clock import local_date
from infra.pii import PiiCipher
from services.intake import opinion as rules
from services.intake.categories import unique
from services.intake.grouping import follow
from services.intake.opinion import Opinion
from services.intake.provenance import Lookups, receiver_of
from services.intake.store import IntakeStore
from services.intake.suggestions import handlers as suggestions
from services.intake.views import staff_view

log = logging.getLogger(__name__)
OPINIONS_RECEIVED = Counter("opinions_received_total", "Opinions stored by intake", ["channel"])
ERASE_ATTEMPTS = 5  # wrong proofs before a tracking code's erasure is locked (the gateway limits per address)


def lookups(store: IntakeStore) -> Lookups:
    return Lookups(
        directory=lambda kind, entry_id: store.directory.find(kind, entry_id),
        reception=lambda reception_id: store.receptions.get(reception_id),
        categories=lambda division: store.category_list(division).names,
    )


def receive_opinion(store: IntakeStore, command: SubmitOpinion, envelope: Envelope) -> None:
    """A citizen's submission, acknowledged before it got here: stored whatever happened meanwhile.

    The gateway checked the receiver and category; should the directory have changed since (a
    deputy deactivated a second later), the item is kept without them rather than lost.
    """
    try:
        receiver = receiver_of(command, lookups(store))
    except ServiceError as refused:
        log.warning("opinion %s kept without its %s: %s", command.tracking_code, refused.field, refused.detail)
        command = command.model_copy(update={"details": None, "category": None, "grid_id": None})
        receiver = receiver_of(command, lookups(store))
    store_opinion(store, command, receiver, envelope.correlation_id)


def receive_staff_opinion(
    store: IntakeStore, command: SubmitOpinion, actor: Actor, correlation_id: str
) -> OpinionReceipt:
    """An item entered by staff or a county system: its references are checked first, and a refusal
    names the field with nothing stored. A county system's id seen before answers the stored item."""
    if not within(command.division, actor.scope):
        raise ServiceError(ErrorCode.FORBIDDEN, "不在密钥的管辖范围内 (outside the key's scope)", "division")
    receiver = receiver_of(command, lookups(store))
    store.photos.check(command.photos, command.tracking_code)
    key = rules.external_key(command)
    claimant = store.claim_external_key(key, command.tracking_code) if key else command.tracking_code
    if claimant != command.tracking_code:
        existing = store.opinions.get(claimant)
        if existing is not None:
            return receipt(existing, duplicate=True)
        # claimed by a submission that a crash stopped before storing: finish it under its code
        command = command.model_copy(update={"tracking_code": claimant})
    store_opinion(store, command, receiver, correlation_id)
    return receipt(store.opinions.get(command.tracking_code))


def store_opinion(store: IntakeStore, command: SubmitOpinion, receiver: Receiver, correlation_id: str) -> None:
    """Numbers the item and stores it once per tracking code, then links its reception session and
    photos; a redelivery changes nothing but what a crash left undone."""
    opinion = store.opinions.get(command.tracking_code)
    if opinion is None:
        year = local_date(command.submitted_at).year
        sequence = store.next_case_number(command.division[:6], year, command.tracking_code)
        opinion, received = rules.receive(command, receiver, rules.case_number(command.division, year, sequence))
        if store.opinions.add(opinion, [received], correlation_id):
            OPINIONS_RECEIVED.labels(opinion.channel.value).inc()
            log.info("opinion %s (%s) received via %s", opinion.tracking_code, opinion.case_number, opinion.channel)
    else:
        store.opinions.outbox.relay(opinion.tracking_code)  # what a crash may have left unsent
    link(store, opinion)


def link(store: IntakeStore, opinion: Opinion) -> None:
    """A visit's item is listed by its reception session; its photos are bound to it (both idempotent)."""
    reception_id = getattr(opinion.details, "reception_id", None)
    if reception_id is not None:
        store.receptions.link_item(reception_id, opinion.tracking_code)
    if opinion.photos:
        try:
            store.photos.attach(opinion.photos, opinion.tracking_code, opinion.division)
        except ServiceError as refused:  # taken by another item since the gateway checked: kept without
            log.warning("opinion %s: photos not attached: %s", opinion.tracking_code, refused.detail)


def receipt(opinion: Opinion, duplicate: bool = False) -> OpinionReceipt:
    return OpinionReceipt(
        tracking_code=opinion.tracking_code,
        case_number=opinion.case_number,
        status=opinion.status,
        status_url=f"/v1/public/opinions/{opinion.tracking_code}",
        duplicate=duplicate,
    )


def apply_case_assigned(store: IntakeStore, event: CaseAssigned, envelope: Envelope) -> None:
    """The citizen's (or, for a suggestion's case, the deputy's) view shows who handles it by when."""
    if suggestions.is_suggestion(event.case_id):
        return suggestions.apply_case_assigned(store, event, envelope)
    apply_to_case(store, event.case_id, envelope.event_id, lambda opinion: rules.assigned(opinion, event))


def apply_case_accepted(store: IntakeStore, event: CaseAccepted, envelope: Envelope) -> None:
    if suggestions.is_suggestion(event.case_id):
        return suggestions.apply_case_accepted(store, event, envelope)
    apply_to_case(store, event.case_id, envelope.event_id, lambda opinion: rules.accepted(opinion, event))


def apply_case_event(store: IntakeStore, event: CaseEvent, envelope: Envelope, change: Callable) -> None:
    """A lifecycle event (returned, replied, paused, resumed, extension decided, closed) on the
    citizen's view, once, for the case's own opinion and those merged into it. A deputy
    suggestion's case has no opinion here."""
    if suggestions.is_suggestion(event.case_id):
        return
    apply_to_case(store, event.case_id, envelope.event_id, lambda opinion: change(opinion, event))


def apply_to_case(store: IntakeStore, case_id: str, event_id: str, change: Callable[[Opinion], Opinion]) -> None:
    """A case event changes its own opinion and those merged into it (合并处置: every submitter
    follows the outcome), each once."""
    store.opinions.apply_once(case_id, event_id, change)
    follow.apply_to_followers(store, case_id, event_id, change)


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


def category_list(store: IntakeStore, division: str) -> CategoryList:
    return store.category_list(division)


def set_categories(store: IntakeStore, division: str, names: list[str]) -> CategoryList:
    store.set_categories(division, unique(names))
    return store.category_list(division)


def check_proof(
    store: IntakeStore, opinion: Opinion, contact: dict | None, last_four: str, correlation_id: str
) -> None:
    """The last four digits of the submitter's phone, or FORBIDDEN; each wrong try counts, and a few of
    them lock the code for every use of the proof (erasure, evaluation)."""
    if opinion.erase_attempts >= ERASE_ATTEMPTS:
        raise ServiceError(
            ErrorCode.FORBIDDEN, "验证失败次数过多，请联系联络站 (too many failed attempts)", "phone_last_four"
        )
    if not rules.proves_submitter(opinion, contact, last_four):
        store.opinions.save(rules.failed_proof(opinion), [], correlation_id)
        raise ServiceError(
            ErrorCode.FORBIDDEN, "手机号后四位不符 (the last four digits do not match)", "phone_last_four"
        )


def erase_contact(
    store: IntakeStore, cipher: PiiCipher, tracking_code: str, last_four: str, now: datetime, correlation_id: str
) -> ContactErasedView:
    """PIPL 删除权 for whoever proves the item is theirs; a few wrong tries lock the code's erasure."""
    opinion = find_opinion(store, tracking_code)
    if opinion.contact_erased:
        return ContactErasedView(tracking_code=tracking_code)
    contact = cipher.open(opinion.contact) if opinion.contact else None
    check_proof(store, opinion, contact, last_four, correlation_id)
    erased, event = rules.erase_contact(opinion, now)
    store.opinions.save(erased, [event], correlation_id)
    log.info("opinion %s: contact erased at the citizen's request", tracking_code)
    return ContactErasedView(tracking_code=tracking_code)


def prove_submitter(
    store: IntakeStore, cipher: PiiCipher, tracking_code: str, last_four: str, correlation_id: str
) -> SubmitterProof:
    """The citizen proves the item is theirs (to evaluate its reply); wrong tries count towards the
    same lock as erasure's."""
    opinion = find_opinion(store, tracking_code)
    contact = cipher.open(opinion.contact) if opinion.contact else None
    if not (contact or {}).get("phone"):
        raise ServiceError(
            ErrorCode.INVALID,
            "该事项未留手机号，无法凭手机号后四位测评 (no phone was given for this item)",
            "phone_last_four",
        )
    check_proof(store, opinion, contact, last_four, correlation_id)
    return SubmitterProof(case_id=opinion.tracking_code)


def apply_evaluation(store: IntakeStore, event: EvaluationRecorded, envelope: Envelope) -> None:
    """满意度测评 on the citizen's view, once; a deputy suggestion's case has no opinion here."""
    if suggestions.is_suggestion(event.case_id):
        return
    store.opinions.apply_once(
        event.case_id, envelope.event_id, lambda opinion: rules.evaluation_recorded(opinion, event)
    )


def reencrypt_contacts(store: IntakeStore, cipher: PiiCipher, batch: int) -> ReencryptionReport:
    """Re-seals up to `batch` contacts sealed under older keys with the active one (and its phone hash)."""
    done = 0
    for opinion in store.contacts_under_old_keys(cipher.active_key_id, batch):
        contact = cipher.open(opinion.contact)
        resealed = opinion.model_copy(update={"contact": cipher.seal(contact.get("name"), contact.get("phone"))})
        try:
            store.opinions.save(resealed)
            done += 1
        except VersionConflict:
            continue  # changed meanwhile: the next batch finds it again
    remaining = store.count_contacts_under_old_keys(cipher.active_key_id)
    return ReencryptionReport(reencrypted=done, remaining=remaining, active_key=cipher.active_key_id)
