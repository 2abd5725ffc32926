"""The directory's RPCs, mixed into LegislationService. Entries placed by a division in the input are
scope-checked by the gateway; those placed by their point are checked here against the caller."""

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.legislation.directory import (
    CollectionPointIn,
    ContactPointIn,
    DirectoryView,
    OfficeIn,
    OfficerIn,
    PartnersIn,
)
from infra.aggregates import AggregateCollection
from infra.clock import utc_now
from infra.nameko_entrypoints import rpc
from services.legislation.directory import rules, views
from services.legislation.directory.entries import ContactPoint, Office
from services.legislation.store import LegislationStore


def added(collection: AggregateCollection, entry, view) -> dict:
    """The entry stored under its id, or CONFLICT with the one stored there before."""
    if not collection.add(entry):
        current = collection.get(getattr(entry, collection.key))
        raise ServiceError(
            ErrorCode.CONFLICT,
            f"编号 {getattr(entry, collection.key)} 已被使用 (the id is taken)",
            collection.key,
            state=view(current).model_dump(mode="json"),
        )
    return view(entry).model_dump(mode="json")


def point_in_scope(store: LegislationStore, point_id: str, actor: Actor, field: str = "point_id") -> ContactPoint:
    point = store.points.get(point_id)
    if point is None or not actor.can_see(point.division):
        raise ServiceError(ErrorCode.NOT_FOUND, f"联系点 {point_id} 不存在 (no such contact point)", field)
    return point


class DirectoryEntrypoints:
    @rpc
    def register_office(self, office: dict) -> dict:
        entry = parse(OfficeIn, office)
        return added(self.store.offices, Office(**entry.model_dump(), created_at=utc_now()), views.office_view)

    @rpc
    def register_point(self, point: dict) -> dict:
        created = rules.new_point(parse(ContactPointIn, point), self.store.points.get, utc_now())
        return added(self.store.points, created, lambda p: views.point_view(p, self.store.points.get))

    @rpc
    def set_partners(self, point_id: str, partners: dict, actor: dict) -> dict:
        wanted, actor = parse(PartnersIn, partners).partners, parse(Actor, actor)
        point = point_in_scope(self.store, point_id, actor, "point_id")
        checked = rules.checked_partners(point_id, wanted, self.store.points.get)
        saved = self.store.points.save(point.model_copy(update={"partners": checked}))
        return views.point_view(saved, self.store.points.get).model_dump(mode="json")

    @rpc
    def register_officer(self, officer: dict, actor: dict) -> dict:
        entry, actor = parse(OfficerIn, officer), parse(Actor, actor)
        point_in_scope(self.store, entry.point_id, actor)
        created = rules.new_officer(entry, self.store.points.get, utc_now())
        return added(self.store.officers, created, views.officer_view)

    @rpc
    def register_collection_point(self, entry: dict, actor: dict) -> dict:
        entry, actor = parse(CollectionPointIn, entry), parse(Actor, actor)
        point_in_scope(self.store, entry.point_id, actor)
        created = rules.new_collection_point(entry, self.store.points.get, utc_now())
        return added(self.store.collection_points, created, views.collection_point_view)

    @rpc
    def contact_point(self, point_id: str) -> dict:
        point = self.store.points.get(point_id)
        if point is None:
            raise ServiceError(ErrorCode.NOT_FOUND, f"联系点 {point_id} 不存在 (no such contact point)", "point_id")
        return views.point_view(point, self.store.points.get).model_dump(mode="json")

    @rpc
    def legislative_directory(self, division_prefix: str) -> dict:
        store, find = self.store, self.store.points.get
        view = DirectoryView(
            division=division_prefix,
            offices=[views.office_view(office) for office in store.in_division(store.offices, division_prefix)],
            points=[views.point_view(point, find) for point in store.in_division(store.points, division_prefix)],
            officers=[views.officer_view(officer) for officer in store.in_division(store.officers, division_prefix)],
            collection_points=[
                views.collection_point_view(entry)
                for entry in store.in_division(store.collection_points, division_prefix)
            ],
        )
        return view.model_dump(mode="json")
