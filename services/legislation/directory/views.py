"""What callers see of the directory's entries."""

from contracts.legislation.directory import (
    CollectionPointView,
    ContactPointView,
    OfficerView,
    OfficeView,
    PartnerView,
)
from services.legislation.directory.entries import CollectionPoint, ContactPoint, Office, Officer
from services.legislation.directory.rules import FindPoint


def office_view(office: Office) -> OfficeView:
    return OfficeView.model_validate(office.model_dump())


def point_view(point: ContactPoint, find: FindPoint) -> ContactPointView:
    """The point with its partners' names (a partner deactivated since is still listed, as it was named)."""
    partners = [(partner_id, find(partner_id)) for partner_id in point.partners]
    return ContactPointView(
        **point.model_dump(exclude={"partners"}),
        partners=[
            PartnerView(point_id=partner_id, name=found.name, division=found.division)
            for partner_id, found in partners
            if found is not None
        ],
    )


def officer_view(officer: Officer) -> OfficerView:
    return OfficerView.model_validate(officer.model_dump())


def collection_point_view(entry: CollectionPoint) -> CollectionPointView:
    return CollectionPointView.model_validate(entry.model_dump())
