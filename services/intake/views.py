"""What callers see of an opinion: the public view never has the contact; staff see it masked or not."""

from contracts.intake.opinions import ContactView, PublicOpinionView, StaffOpinionView
from infra.pii import mask_name, mask_phone
from services.intake.opinion import Opinion

PROGRESS = set(PublicOpinionView.model_fields)  # what an opinion shows of its progress


def public_view(opinion: Opinion) -> PublicOpinionView:
    return PublicOpinionView.model_validate(opinion.model_dump(include=PROGRESS))


def staff_view(opinion: Opinion, contact: dict | None, reveal: bool) -> StaffOpinionView:
    """`contact` is the decrypted name and phone; masked unless `reveal` (the staff who call back)."""
    shown = None
    if contact is not None:
        name, phone = contact.get("name"), contact.get("phone")
        if not reveal:
            name, phone = name and mask_name(name), phone and mask_phone(phone)
        shown = ContactView(name=name, phone=phone, masked=not reveal)
    return StaffOpinionView.model_validate({**opinion.model_dump(include=PROGRESS), "contact": shown})
