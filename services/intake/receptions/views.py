"""What the public and staff see of a session: the public notice never names a citizen, and the
staff's list of items received never carries a contact."""

from contracts.intake.receptions import PublicReceptionView, ReceptionDetail, ReceptionItem, ReceptionView
from services.intake.opinion import Opinion
from services.intake.receptions.session import Reception

PUBLIC_FIELDS = set(PublicReceptionView.model_fields) - {"items_received"}
STAFF_FIELDS = set(ReceptionView.model_fields) - {"items_received"}


def public_view(reception: Reception) -> PublicReceptionView:
    fields = reception.model_dump(include=PUBLIC_FIELDS)
    return PublicReceptionView(**fields, items_received=len(reception.items))


def staff_view(reception: Reception) -> ReceptionView:
    return ReceptionView(**reception.model_dump(include=STAFF_FIELDS), items_received=len(reception.items))


def item_of(opinion: Opinion) -> ReceptionItem:
    return ReceptionItem(
        tracking_code=opinion.tracking_code,
        case_number=opinion.case_number,
        content=opinion.content,
        status=opinion.status.value,
        submitted_at=opinion.submitted_at,
    )


def detail(reception: Reception, opinions: list[Opinion]) -> ReceptionDetail:
    return ReceptionDetail(**staff_view(reception).model_dump(), items=[item_of(opinion) for opinion in opinions])
