"""What callers see of an opinion: the public view never has the contact; staff see it masked or not."""

from contracts.intake.opinions import ContactView, PublicOpinionView, Receiver, ReceiverKind, StaffOpinionView
from infra.pii import mask_name, mask_phone
from services.intake.opinion import Opinion

RECEIVER_TITLES = {ReceiverKind.INFO_OFFICER: "网格民情信息员", ReceiverKind.OPERATOR: "热线话务员"}
PROGRESS = set(PublicOpinionView.model_fields)  # what an opinion shows of its progress
STAFF = set(StaffOpinionView.model_fields) - {"contact"}
PUBLIC_RECEIVERS = {ReceiverKind.DEPUTY, ReceiverKind.STATION, ReceiverKind.PLATFORM, ReceiverKind.SYSTEM}


def public_view(opinion: Opinion) -> PublicOpinionView:
    view = PublicOpinionView.model_validate(opinion.model_dump(include=PROGRESS))
    if view.receiver is not None and view.receiver.kind not in PUBLIC_RECEIVERS:
        view.receiver = Receiver(kind=view.receiver.kind, name=RECEIVER_TITLES[view.receiver.kind])
    return view


def staff_view(opinion: Opinion, contact: dict | None, reveal: bool) -> StaffOpinionView:
    """`contact` is the decrypted name and phone; masked unless `reveal` (the staff who call back)."""
    shown = None
    if contact is not None:
        name, phone = contact.get("name"), contact.get("phone")
        if not reveal:
            name, phone = name and mask_name(name), phone and mask_phone(phone)
        shown = ContactView(name=name, phone=phone, masked=not reveal)
    return StaffOpinionView.model_validate({**opinion.model_dump(include=STAFF), "contact": shown})
