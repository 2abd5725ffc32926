"""Typed clients of the services' RPCs: contract models in, contract models out.

Each method calls the RPC of the same name on its service; a test checks every one against the
service's entrypoints, so a rename on either side fails there rather than in production.
"""

import json
from functools import cache
from typing import Any, ClassVar, Protocol

import httpx
from pydantic import BaseModel, TypeAdapter

from contracts.actor import Actor
from contracts.case_finding import CaseDetail, CaseQuery
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.categories import CategoriesIn, CategoryList
from contracts.intake.directory import (
    ENTRIES,
    AreaEntry,
    AreaIn,
    Changes,
    DeputyEntry,
    DeputyIn,
    DirectoryKind,
    Entry,
    GridEntry,
    GridIn,
    ReceiverCard,
    StationEntry,
    StationIn,
    StationView,
)
from contracts.intake.evaluation_codes import EvaluationCodeSent, EvaluatorProofIn
from contracts.intake.grouping import HotWordsView, MergeGroupIn, OpinionGroupView, SplitGroupIn
from contracts.intake.imports import ImportOutcome
from contracts.intake.open311 import PublicRequest, RequestQuery
from contracts.intake.opinions import (
    ContactErasedView,
    EraseContactIn,
    OpinionReceipt,
    PublicOpinionView,
    ReencryptionReport,
    StaffOpinionView,
    SubmitOpinion,
)
from contracts.intake.photos import PhotoInfo, PhotoUploaded
from contracts.intake.receptions import (
    AnnouncementIn,
    CancellationIn,
    HeldIn,
    PublicReceptionView,
    ReceptionDetail,
    ReceptionIn,
    ReceptionStatus,
    ReceptionView,
)
from contracts.intake.suggestions import (
    EditSuggestionIn,
    FileSuggestionIn,
    MergeSuggestionsIn,
    ReturnSuggestionIn,
    SuggestionActionIn,
    SuggestionStatus,
    SuggestionView,
)
from contracts.legislation.aggregates import AdoptionFigures, DraftAggregate, PublicCounts
from contracts.legislation.comments import (
    AdoptionIn,
    CommentReceipt,
    CommentView,
    ExportFile,
    FeedPage,
    OfflineCommentIn,
    PublicCommentIn,
    SubmissionView,
    SubmitIn,
)
from contracts.legislation.directory import (
    CollectionPointIn,
    CollectionPointView,
    ContactPointIn,
    ContactPointView,
    DirectoryView,
    OfficeIn,
    OfficerIn,
    OfficerView,
    OfficeView,
    PartnersIn,
)
from contracts.legislation.drafts import CloseDraftIn, DraftIn, DraftStatus, DraftSummary, DraftView
from contracts.legislation.tasks import AssignTaskIn, ForwardTaskIn, TaskView
from contracts.notify import NotificationView
from contracts.notify.delivery import (
    DeliveryView,
    DivisionPolicyIn,
    DivisionPolicyView,
    PreferencesIn,
    PreferencesView,
)
from contracts.notify.templates import PreviewIn, PreviewView, TemplateIn, TemplateView
from contracts.notify.webhooks import WebhookSubscriptionIn, WebhookSubscriptionView
from contracts.paging import Page
from contracts.routing import (
    AcceptCaseIn,
    ActionIn,
    CalendarDayIn,
    CaseView,
    DivisionDeadlinesIn,
    LateAssignment,
    ResultSchemeIn,
    ResultSchemeView,
    RoutingRuleIn,
    RuleView,
    TriageQueueEntry,
    UnitChangeIn,
    UnitIn,
    UnitView,
)
from contracts.supervision import DeadlineView, EvaluationIn, EvaluationView, SubmitterProof
from contracts.supervision.evaluation_window import CaseEvaluationView
from contracts.supervision.key_items import KeyItemView, KeyRecordIn, MarkKeyItemIn, UnmarkKeyItemIn
from contracts.supervision.reviews import ReviewOutcomeIn, ReviewView
from contracts.supervision.statistics import (
    RankingRulesIn,
    RankingRulesView,
    RankingView,
    StatisticsQuery,
    StatisticsView,
)
from contracts.supervision.watch import (
    HalfTimeCaseView,
    LedgerEntry,
    LedgerSettingsIn,
    LedgerSettingsView,
    OverdueCaseView,
    ReminderIn,
    ReminderRecord,
)
from infra.logs import correlation_id


class Caller(Protocol):
    async def call(self, service: str, method: str, **kwargs: Any) -> Any: ...


@cache
def adapter(answer: type) -> TypeAdapter:
    return TypeAdapter(answer)


def wire(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


class ServiceClient:
    service: ClassVar[str]

    def __init__(self, broker: Caller):
        self.broker = broker

    async def _call(self, method: str, answer: type, **kwargs: Any) -> Any:
        result = await self.broker.call(self.service, method, **{name: wire(v) for name, v in kwargs.items()})
        return adapter(answer).validate_python(result)


class IntakeClient(ServiceClient):
    service = "intake"

    async def file_suggestion(self, command: FileSuggestionIn, actor: Actor) -> SuggestionView:
        return await self._call("file_suggestion", SuggestionView, command=command, actor=actor)

    async def list_suggestions(
        self, division_prefix: str, status: SuggestionStatus | None, limit: int, after: str | None
    ) -> Page[SuggestionView]:
        return await self._call(
            "list_suggestions",
            Page[SuggestionView],
            division_prefix=division_prefix,
            status=status,
            limit=limit,
            after=after,
        )

    async def suggestion(self, suggestion_id: str, actor: Actor) -> SuggestionView:
        return await self._call("suggestion", SuggestionView, suggestion_id=suggestion_id, actor=actor)

    async def edit_suggestion(self, suggestion_id: str, command: EditSuggestionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "edit_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def submit_suggestion(self, suggestion_id: str, command: SuggestionActionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "submit_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def return_suggestion(self, suggestion_id: str, command: ReturnSuggestionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "return_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def accept_suggestion(self, suggestion_id: str, command: SuggestionActionIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "accept_suggestion", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def merge_suggestions(self, suggestion_id: str, command: MergeSuggestionsIn, actor: Actor) -> SuggestionView:
        return await self._call(
            "merge_suggestions", SuggestionView, suggestion_id=suggestion_id, command=command, actor=actor
        )

    async def opinion_groups(self, division_prefix: str, limit: int, after: str | None) -> Page[OpinionGroupView]:
        return await self._call(
            "opinion_groups", Page[OpinionGroupView], division_prefix=division_prefix, limit=limit, after=after
        )

    async def merge_group(self, group_id: str, merge: MergeGroupIn, actor: Actor) -> OpinionGroupView:
        return await self._call("merge_group", OpinionGroupView, group_id=group_id, merge=merge, actor=actor)

    async def split_group(self, group_id: str, split: SplitGroupIn, actor: Actor) -> OpinionGroupView:
        return await self._call("split_group", OpinionGroupView, group_id=group_id, split=split, actor=actor)

    async def hot_words(self, division: str, first_day: str, last_day: str, limit: int) -> HotWordsView:
        return await self._call(
            "hot_words", HotWordsView, division=division, first_day=first_day, last_day=last_day, limit=limit
        )

    async def public_view(self, tracking_code: str) -> PublicOpinionView:
        return await self._call("public_view", PublicOpinionView, tracking_code=tracking_code)

    async def staff_view(self, tracking_code: str, actor: Actor) -> StaffOpinionView:
        return await self._call("staff_view", StaffOpinionView, tracking_code=tracking_code, actor=actor)

    async def submit_staff_opinion(self, command: SubmitOpinion, actor: Actor) -> OpinionReceipt:
        return await self._call("submit_staff_opinion", OpinionReceipt, command=command, actor=actor)

    async def erase_contact(self, tracking_code: str, erasure: EraseContactIn) -> ContactErasedView:
        return await self._call("erase_contact", ContactErasedView, tracking_code=tracking_code, erasure=erasure)

    async def issue_evaluation_code(self, tracking_code: str) -> EvaluationCodeSent:
        return await self._call("issue_evaluation_code", EvaluationCodeSent, tracking_code=tracking_code)

    async def prove_evaluator(self, tracking_code: str, proof: EvaluatorProofIn, address: str) -> SubmitterProof:
        return await self._call(
            "prove_evaluator", SubmitterProof, tracking_code=tracking_code, proof=proof, address=address
        )

    async def unknown_photos(self, photo_ids: list[str]) -> list[str]:
        return await self._call("unknown_photos", list[str], photo_ids=photo_ids)

    async def photo(self, photo_id: str) -> PhotoInfo:
        return await self._call("photo", PhotoInfo, photo_id=photo_id)

    async def reencrypt_contacts(self, batch: int) -> ReencryptionReport:
        return await self._call("reencrypt_contacts", ReencryptionReport, batch=batch)

    async def public_requests(self, query: RequestQuery) -> list[PublicRequest]:
        return await self._call("public_requests", list[PublicRequest], query=query)

    async def public_request(self, case_number: str) -> PublicRequest:
        return await self._call("public_request", PublicRequest, case_number=case_number)

    async def categories(self, division: str) -> CategoryList:
        return await self._call("categories", CategoryList, division=division)

    async def set_categories(self, division: str, categories: CategoriesIn) -> CategoryList:
        return await self._call("set_categories", CategoryList, division=division, categories=categories)

    async def import_opinions(self, commands: list[SubmitOpinion], actor: Actor) -> list[ImportOutcome]:
        wires = [command.model_dump(mode="json") for command in commands]
        return await self._call("import_opinions", list[ImportOutcome], commands=wires, actor=actor)

    async def register_area(self, area: AreaIn) -> AreaEntry:
        return await self._call("register_area", AreaEntry, area=area)

    async def register_grid(self, grid: GridIn) -> GridEntry:
        return await self._call("register_grid", GridEntry, grid=grid)

    async def register_station(self, station: StationIn) -> StationEntry:
        return await self._call("register_station", StationEntry, station=station)

    async def register_deputy(self, deputy: DeputyIn) -> DeputyEntry:
        return await self._call("register_deputy", DeputyEntry, deputy=deputy)

    async def update_entry(self, kind: DirectoryKind, entry_id: str, changes: Changes) -> Entry:
        return await self._call("update_entry", ENTRIES[kind], kind=kind.value, entry_id=entry_id, changes=changes)

    async def directory_entry(self, kind: DirectoryKind, entry_id: str) -> Entry:
        return await self._call("directory_entry", ENTRIES[kind], kind=kind.value, entry_id=entry_id)

    async def directory_entries(
        self, kind: DirectoryKind, division_prefix: str, active: bool | None, limit: int, after: str | None
    ) -> Page[Entry]:
        return await self._call(
            "directory_entries",
            Page[ENTRIES[kind]],
            kind=kind.value,
            division_prefix=division_prefix,
            active=active,
            limit=limit,
            after=after,
        )

    async def receiver(self, kind: str, entry_id: str) -> ReceiverCard:
        return await self._call("receiver", ReceiverCard, kind=kind, entry_id=entry_id)

    async def stations(self, division_prefix: str, limit: int, after: str | None) -> Page[StationView]:
        return await self._call(
            "stations", Page[StationView], division_prefix=division_prefix, limit=limit, after=after
        )

    async def create_reception(self, reception: ReceptionIn, actor: Actor) -> ReceptionView:
        return await self._call("create_reception", ReceptionView, reception=reception, actor=actor)

    async def announce_reception(self, reception_id: str, announcement: AnnouncementIn, actor: Actor) -> ReceptionView:
        return await self._call(
            "announce_reception", ReceptionView, reception_id=reception_id, announcement=announcement, actor=actor
        )

    async def hold_reception(self, reception_id: str, report: HeldIn, actor: Actor) -> ReceptionView:
        return await self._call("hold_reception", ReceptionView, reception_id=reception_id, report=report, actor=actor)

    async def cancel_reception(self, reception_id: str, cancellation: CancellationIn, actor: Actor) -> ReceptionView:
        return await self._call(
            "cancel_reception", ReceptionView, reception_id=reception_id, cancellation=cancellation, actor=actor
        )

    async def reception(self, reception_id: str) -> ReceptionDetail:
        return await self._call("reception", ReceptionDetail, reception_id=reception_id)

    async def receptions(
        self, division_prefix: str, status: ReceptionStatus | None, limit: int, after: str | None
    ) -> Page[ReceptionView]:
        return await self._call(
            "receptions", Page[ReceptionView], division_prefix=division_prefix, status=status, limit=limit, after=after
        )

    async def public_receptions(self, division_prefix: str, limit: int, after: str | None) -> Page[PublicReceptionView]:
        return await self._call(
            "public_receptions", Page[PublicReceptionView], division_prefix=division_prefix, limit=limit, after=after
        )


class RoutingClient(ServiceClient):
    service = "routing"

    async def find_cases(self, query: CaseQuery, actor: Actor) -> Page[CaseView]:
        return await self._call("find_cases", Page[CaseView], query=query, actor=actor)

    async def case_detail(self, case_id: str, actor: Actor) -> CaseDetail:
        return await self._call("case_detail", CaseDetail, case_id=case_id, actor=actor)

    async def accept_case(self, case_id: str, command: AcceptCaseIn, actor: Actor) -> CaseView:
        return await self._call("accept_case", CaseView, case_id=case_id, command=command, actor=actor)

    async def set_result_scheme(self, division: str, scheme: ResultSchemeIn) -> ResultSchemeView:
        return await self._call("set_result_scheme", ResultSchemeView, division=division, scheme=scheme)

    async def result_scheme(self, division: str) -> ResultSchemeView:
        return await self._call("result_scheme", ResultSchemeView, division=division)

    async def act_on_case(self, case_id: str, action: str, command: ActionIn, actor: Actor) -> CaseView:
        return await self._call("act_on_case", CaseView, case_id=case_id, action=action, command=command, actor=actor)

    async def register_unit(self, unit: UnitIn) -> UnitView:
        return await self._call("register_unit", UnitView, unit=unit)

    async def unit(self, unit_id: str) -> UnitView:
        return await self._call("unit", UnitView, unit_id=unit_id)

    async def add_rule(self, rule: RoutingRuleIn) -> RuleView:
        return await self._call("add_rule", RuleView, rule=rule)

    # units, rules, deadline policies, the triage queue (rules helper)
    async def update_unit(self, unit_id: str, change: UnitChangeIn, actor: Actor) -> UnitView:
        return await self._call("update_unit", UnitView, unit_id=unit_id, change=change, actor=actor)

    async def deactivate_unit(self, unit_id: str, actor: Actor) -> UnitView:
        return await self._call("deactivate_unit", UnitView, unit_id=unit_id, actor=actor)

    async def list_units(self, division: str, include_inactive: bool) -> list[UnitView]:
        return await self._call("list_units", list[UnitView], division=division, include_inactive=include_inactive)

    async def list_rules(self, division: str) -> list[RuleView]:
        return await self._call("list_rules", list[RuleView], division=division)

    async def update_rule(self, rule_id: str, rule: RoutingRuleIn, actor: Actor) -> RuleView:
        return await self._call("update_rule", RuleView, rule_id=rule_id, rule=rule, actor=actor)

    async def delete_rule(self, rule_id: str, actor: Actor) -> RuleView:
        return await self._call("delete_rule", RuleView, rule_id=rule_id, actor=actor)

    async def set_deadline_policies(self, policies: DivisionDeadlinesIn) -> DivisionDeadlinesIn:
        return await self._call("set_deadline_policies", DivisionDeadlinesIn, policies=policies)

    async def deadline_policies(self, division: str) -> DivisionDeadlinesIn:
        return await self._call("deadline_policies", DivisionDeadlinesIn, division=division)

    async def triage_queue(self, division: str, limit: int, after: str | None) -> Page[TriageQueueEntry]:
        return await self._call("triage_queue", Page[TriageQueueEntry], division=division, limit=limit, after=after)

    async def late_assignments(self, division: str, limit: int) -> list[LateAssignment]:
        return await self._call("late_assignments", list[LateAssignment], division=division, limit=limit)

    async def set_calendar_day(self, day: CalendarDayIn) -> CalendarDayIn:
        return await self._call("set_calendar_day", CalendarDayIn, day=day)


class SupervisionClient(ServiceClient):
    service = "supervision"

    async def deadlines(
        self, division_prefix: str, overdue_only: bool, limit: int, after: str | None
    ) -> Page[DeadlineView]:
        return await self._call(
            "deadlines",
            Page[DeadlineView],
            division_prefix=division_prefix,
            overdue_only=overdue_only,
            limit=limit,
            after=after,
        )

    async def evaluate_case(self, case_id: str, evaluation: EvaluationIn, actor: Actor) -> EvaluationView:
        return await self._call("evaluate_case", EvaluationView, case_id=case_id, evaluation=evaluation, actor=actor)

    async def evaluate_as_citizen(self, case_id: str, evaluation: EvaluationIn) -> EvaluationView:
        return await self._call("evaluate_as_citizen", EvaluationView, case_id=case_id, evaluation=evaluation)

    # close the loop: evaluation state, key items (重点督办), follow-up reviews (回头看)
    async def evaluation_state(self, case_id: str, actor: Actor) -> CaseEvaluationView:
        return await self._call("evaluation_state", CaseEvaluationView, case_id=case_id, actor=actor)

    async def mark_key_item(self, case_id: str, mark: MarkKeyItemIn, actor: Actor) -> KeyItemView:
        return await self._call("mark_key_item", KeyItemView, case_id=case_id, mark=mark, actor=actor)

    async def unmark_key_item(self, case_id: str, unmark: UnmarkKeyItemIn, actor: Actor) -> KeyItemView:
        return await self._call("unmark_key_item", KeyItemView, case_id=case_id, unmark=unmark, actor=actor)

    async def record_key_item(self, case_id: str, record: KeyRecordIn, actor: Actor) -> KeyItemView:
        return await self._call("record_key_item", KeyItemView, case_id=case_id, record=record, actor=actor)

    async def key_item(self, case_id: str, actor: Actor) -> KeyItemView:
        return await self._call("key_item", KeyItemView, case_id=case_id, actor=actor)

    async def key_items(self, division_prefix: str, period: str, limit: int, after: str | None) -> Page[KeyItemView]:
        return await self._call(
            "key_items", Page[KeyItemView], division_prefix=division_prefix, period=period, limit=limit, after=after
        )

    async def record_review(self, review_id: str, outcome: ReviewOutcomeIn, actor: Actor) -> ReviewView:
        return await self._call("record_review", ReviewView, review_id=review_id, outcome=outcome, actor=actor)

    async def reviews(
        self, division_prefix: str, state: str | None, kind: str | None, limit: int, after: str | None
    ) -> Page[ReviewView]:
        return await self._call(
            "reviews",
            Page[ReviewView],
            division_prefix=division_prefix,
            state=state,
            kind=kind,
            limit=limit,
            after=after,
        )

    # the deadline watch and the public ledger (services/supervision/deadline_watch, ledger)
    async def overdue_cases(self, division_prefix: str, limit: int, after: str | None) -> Page[OverdueCaseView]:
        return await self._call(
            "overdue_cases", Page[OverdueCaseView], division_prefix=division_prefix, limit=limit, after=after
        )

    async def half_time_cases(self, division_prefix: str, limit: int, after: str | None) -> Page[HalfTimeCaseView]:
        return await self._call(
            "half_time_cases", Page[HalfTimeCaseView], division_prefix=division_prefix, limit=limit, after=after
        )

    async def record_reminder(self, case_id: str, reminder: ReminderIn, actor: Actor) -> ReminderRecord:
        return await self._call("record_reminder", ReminderRecord, case_id=case_id, reminder=reminder, actor=actor)

    async def public_ledger(self, division_prefix: str, limit: int, after: str | None) -> Page[LedgerEntry]:
        return await self._call(
            "public_ledger", Page[LedgerEntry], division_prefix=division_prefix, limit=limit, after=after
        )

    async def ledger_settings(self, division: str) -> LedgerSettingsView:
        return await self._call("ledger_settings", LedgerSettingsView, division=division)

    async def set_ledger_settings(self, division: str, settings: LedgerSettingsIn) -> LedgerSettingsView:
        return await self._call("set_ledger_settings", LedgerSettingsView, division=division, settings=settings)

    # 督办 statistics and 红黑榜 (services/supervision/statistics, rankings)
    async def statistics(self, query: StatisticsQuery) -> StatisticsView:
        return await self._call("statistics", StatisticsView, query=query.model_dump(by_alias=True))

    async def rankings(self, division: str, period: str) -> RankingView:
        return await self._call("rankings", RankingView, division=division, period=period)

    async def ranking_rules(self, division: str) -> RankingRulesView:
        return await self._call("ranking_rules", RankingRulesView, division=division)

    async def set_ranking_rules(self, division: str, rules: RankingRulesIn) -> RankingRulesView:
        return await self._call("set_ranking_rules", RankingRulesView, division=division, rules=rules)


class NotifyClient(ServiceClient):
    service = "notify"

    async def inbox(
        self, recipient: str, division_prefix: str, limit: int, after: str | None
    ) -> Page[NotificationView]:
        return await self._call(
            "inbox",
            Page[NotificationView],
            recipient=recipient,
            division_prefix=division_prefix,
            limit=limit,
            after=after,
        )

    async def unread_count(self, recipient: str) -> int:
        return await self._call("unread_count", int, recipient=recipient)

    async def mark_read(self, notification_id: str, recipient: str) -> NotificationView:
        return await self._call("mark_read", NotificationView, notification_id=notification_id, recipient=recipient)

    async def preferences(self, recipient: str, division: str) -> PreferencesView:
        return await self._call("preferences", PreferencesView, recipient=recipient, division=division)

    async def set_preferences(self, recipient: str, division: str, preferences: PreferencesIn) -> PreferencesView:
        return await self._call(
            "set_preferences", PreferencesView, recipient=recipient, division=division, preferences=preferences
        )

    async def division_policy(self, division: str) -> DivisionPolicyView:
        return await self._call("division_policy", DivisionPolicyView, division=division)

    async def set_division_policy(self, division: str, policy: DivisionPolicyIn) -> DivisionPolicyView:
        return await self._call("set_division_policy", DivisionPolicyView, division=division, policy=policy)

    async def deliveries(
        self, division: str, event_id: str | None, recipient: str | None, limit: int, after: str | None
    ) -> Page[DeliveryView]:
        return await self._call(
            "deliveries",
            Page[DeliveryView],
            division=division,
            event_id=event_id,
            recipient=recipient,
            limit=limit,
            after=after,
        )

    async def replay_delivery(self, delivery_id: str, scope: str) -> DeliveryView:
        return await self._call("replay_delivery", DeliveryView, delivery_id=delivery_id, scope=scope)

    # templates (services/notify/templates)
    async def notify_templates(self, division: str, event_type: str | None) -> list[TemplateView]:
        return await self._call("notify_templates", list[TemplateView], division=division, event_type=event_type)

    async def notify_template(self, division: str, event_type: str, channel: str) -> TemplateView:
        return await self._call(
            "notify_template", TemplateView, division=division, event_type=event_type, channel=channel
        )

    async def save_notify_template(
        self, division: str, event_type: str, channel: str, template: TemplateIn, actor: Actor
    ) -> TemplateView:
        return await self._call(
            "save_notify_template",
            TemplateView,
            division=division,
            event_type=event_type,
            channel=channel,
            template=template,
            actor=actor,
        )

    async def reset_notify_template(self, division: str, event_type: str, channel: str) -> TemplateView:
        return await self._call(
            "reset_notify_template", TemplateView, division=division, event_type=event_type, channel=channel
        )

    async def preview_notify_template(self, preview: PreviewIn) -> PreviewView:
        return await self._call("preview_notify_template", PreviewView, preview=preview)

    # webhook subscriptions (services/notify/webhooks)
    async def webhook_subscriptions(self, division_prefix: str) -> list[WebhookSubscriptionView]:
        return await self._call("webhook_subscriptions", list[WebhookSubscriptionView], division_prefix=division_prefix)

    async def create_webhook_subscription(
        self, subscription: WebhookSubscriptionIn, actor: Actor
    ) -> WebhookSubscriptionView:
        return await self._call(
            "create_webhook_subscription", WebhookSubscriptionView, subscription=subscription, actor=actor
        )

    async def verify_webhook_subscription(self, subscription_id: str, actor: Actor) -> WebhookSubscriptionView:
        return await self._call(
            "verify_webhook_subscription", WebhookSubscriptionView, subscription_id=subscription_id, actor=actor
        )

    async def delete_webhook_subscription(self, subscription_id: str, actor: Actor) -> None:
        await self._call("delete_webhook_subscription", type(None), subscription_id=subscription_id, actor=actor)


class LegislationClient(ServiceClient):
    service = "legislation"

    # the directory: offices, contact points and partners, officers, collection points
    async def register_office(self, office: OfficeIn) -> OfficeView:
        return await self._call("register_office", OfficeView, office=office)

    async def register_point(self, point: ContactPointIn) -> ContactPointView:
        return await self._call("register_point", ContactPointView, point=point)

    async def set_partners(self, point_id: str, partners: PartnersIn, actor: Actor) -> ContactPointView:
        return await self._call("set_partners", ContactPointView, point_id=point_id, partners=partners, actor=actor)

    async def register_officer(self, officer: OfficerIn, actor: Actor) -> OfficerView:
        return await self._call("register_officer", OfficerView, officer=officer, actor=actor)

    async def register_collection_point(self, entry: CollectionPointIn, actor: Actor) -> CollectionPointView:
        return await self._call("register_collection_point", CollectionPointView, entry=entry, actor=actor)

    async def contact_point(self, point_id: str) -> ContactPointView:
        return await self._call("contact_point", ContactPointView, point_id=point_id)

    async def legislative_directory(self, division_prefix: str) -> DirectoryView:
        return await self._call("legislative_directory", DirectoryView, division_prefix=division_prefix)

    # drafts and their consultation windows
    async def create_draft(self, draft: DraftIn, actor: Actor) -> DraftView:
        return await self._call("create_draft", DraftView, draft=draft, actor=actor)

    async def close_draft(self, draft_id: str, close: CloseDraftIn, actor: Actor) -> DraftView:
        return await self._call("close_draft", DraftView, draft_id=draft_id, close=close, actor=actor)

    async def draft(self, draft_id: str, actor: Actor) -> DraftView:
        return await self._call("draft", DraftView, draft_id=draft_id, actor=actor)

    async def draft_versions(self, draft_id: str, actor: Actor) -> list[DraftSummary]:
        return await self._call("draft_versions", list[DraftSummary], draft_id=draft_id, actor=actor)

    async def drafts(
        self, division_prefix: str, status: DraftStatus | None, limit: int, after: str | None
    ) -> Page[DraftSummary]:
        return await self._call(
            "drafts", Page[DraftSummary], division_prefix=division_prefix, status=status, limit=limit, after=after
        )

    async def public_drafts(self, division_prefix: str, limit: int, after: str | None) -> Page[DraftSummary]:
        return await self._call(
            "public_drafts", Page[DraftSummary], division_prefix=division_prefix, limit=limit, after=after
        )

    async def public_draft(self, draft_id: str) -> DraftView:
        return await self._call("public_draft", DraftView, draft_id=draft_id)

    # consultation tasks and their forwarding
    async def assign_task(self, draft_id: str, task: AssignTaskIn, actor: Actor) -> TaskView:
        return await self._call("assign_task", TaskView, draft_id=draft_id, task=task, actor=actor)

    async def forward_task(self, task_id: str, forward: ForwardTaskIn, actor: Actor) -> TaskView:
        return await self._call("forward_task", TaskView, task_id=task_id, forward=forward, actor=actor)

    async def task(self, task_id: str, actor: Actor) -> TaskView:
        return await self._call("task", TaskView, task_id=task_id, actor=actor)

    async def tasks(
        self, draft_id: str | None, point_id: str | None, actor: Actor, limit: int, after: str | None
    ) -> Page[TaskView]:
        return await self._call(
            "tasks", Page[TaskView], draft_id=draft_id, point_id=point_id, actor=actor, limit=limit, after=after
        )

    # comments: receiving, review and submission, the aggregated pull and feed, files, adoption
    async def submit_public_comment(self, draft_id: str, comment: PublicCommentIn) -> CommentReceipt:
        return await self._call("submit_public_comment", CommentReceipt, draft_id=draft_id, comment=comment)

    async def record_offline_comment(self, draft_id: str, comment: OfflineCommentIn, actor: Actor) -> CommentView:
        return await self._call("record_offline_comment", CommentView, draft_id=draft_id, comment=comment, actor=actor)

    async def comment(self, comment_id: str, actor: Actor) -> CommentView:
        return await self._call("comment", CommentView, comment_id=comment_id, actor=actor)

    async def review_comment(self, comment_id: str, action: str, body: BaseModel | None, actor: Actor) -> CommentView:
        return await self._call(
            "review_comment", CommentView, comment_id=comment_id, action=action, body=body, actor=actor
        )

    async def point_comments(self, draft_id: str, point_id: str, actor: Actor) -> list[CommentView]:
        return await self._call("point_comments", list[CommentView], draft_id=draft_id, point_id=point_id, actor=actor)

    async def submit_comments(self, draft_id: str, submission: SubmitIn, actor: Actor) -> SubmissionView:
        return await self._call(
            "submit_comments", SubmissionView, draft_id=draft_id, submission=submission, actor=actor
        )

    async def decide_adoption(self, comment_id: str, decision: AdoptionIn, actor: Actor) -> CommentView:
        return await self._call("decide_adoption", CommentView, comment_id=comment_id, decision=decision, actor=actor)

    async def adoption_figures(self, kind: str, key: str) -> AdoptionFigures:
        return await self._call("adoption_figures", AdoptionFigures, kind=kind, key=key)

    async def comment_aggregates(self, draft_id: str, article: int | None, actor: Actor) -> DraftAggregate:
        return await self._call("comment_aggregates", DraftAggregate, draft_id=draft_id, article=article, actor=actor)

    async def public_comment_counts(self, draft_id: str) -> PublicCounts:
        return await self._call("public_comment_counts", PublicCounts, draft_id=draft_id)

    async def comment_feed(self, draft_id: str, cursor: str | None, limit: int, actor: Actor) -> FeedPage:
        return await self._call("comment_feed", FeedPage, draft_id=draft_id, cursor=cursor, limit=limit, actor=actor)

    async def export_comments(self, draft_id: str, format: str, actor: Actor) -> ExportFile:
        return await self._call("export_comments", ExportFile, draft_id=draft_id, format=format, actor=actor)

    async def comment_report(self, draft_id: str, actor: Actor) -> ExportFile:
        return await self._call("comment_report", ExportFile, draft_id=draft_id, actor=actor)


class PhotoFiles:
    """intake's HTTP entrypoint for photo bytes, which never go through the broker (the why is in
    services/intake/photos/entrypoints.py). Its refusals come back as the same `ServiceError`s."""

    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None, timeout: float = 30.0):
        self.http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=timeout)

    async def upload(self, data: bytes, uploaded_by: str) -> PhotoUploaded:
        headers = {"X-Uploaded-By": uploaded_by, "Content-Type": "application/octet-stream"}
        answer = await self._send(self.http.build_request("POST", "/photos", content=data, headers=headers))
        return PhotoUploaded.model_validate_json(await answer.aread())

    async def download(self, photo_id: str) -> httpx.Response:
        """The answer with its body still to read (`aiter_bytes`); the caller closes it (`aclose`)."""
        return await self._send(self.http.build_request("GET", f"/photos/{photo_id}"))

    async def _send(self, request: httpx.Request) -> httpx.Response:
        request.headers["X-Correlation-Id"] = correlation_id.get()
        try:
            answer = await self.http.send(request, stream=True)
        except httpx.HTTPError as error:
            detail = f"照片存储暂不可用 (intake's photo endpoint: {error!r})"
            raise ServiceError(ErrorCode.UNAVAILABLE, detail) from None
        if answer.status_code < 400:
            return answer
        body = await answer.aread()
        await answer.aclose()
        try:
            refusal = json.loads(body)
            error = ServiceError(refusal["code"], refusal["detail"], refusal.get("field"))
        except (ValueError, KeyError, TypeError):
            error = ServiceError(
                ErrorCode.UNAVAILABLE, f"照片存储出错 (intake's photo endpoint answered {answer.status_code})"
            )
        raise error

    async def close(self) -> None:
        await self.http.aclose()
