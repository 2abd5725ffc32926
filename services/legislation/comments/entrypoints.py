"""The comments' RPCs (items 4–7 of issue 12), mixed into LegislationService: receiving, review and
submission, the aggregated pull and feed, exports and the report, adoption."""

import base64
from datetime import timedelta

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.legislation.comments import AdoptionIn, MergeIn, OfflineCommentIn, PublicCommentIn, SubmitIn
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_dependencies import Cipher
from infra.nameko_entrypoints import rpc, settings_timer
from infra.settings import get_settings
from services.legislation.adoption import handlers as adoption
from services.legislation.aggregates import handlers as aggregates
from services.legislation.comments import handlers
from services.legislation.consolidation import handlers as consolidation
from services.legislation.feed import handlers as feed
from services.legislation.reports import exports, summary


class CommentEntrypoints:
    cipher = Cipher()

    @rpc
    def submit_public_comment(self, draft_id: str, comment: dict) -> dict:
        receipt = handlers.receive_public(self.store, draft_id, parse(PublicCommentIn, comment), utc_now())
        return receipt.model_dump(mode="json")

    @rpc
    def record_offline_comment(self, draft_id: str, comment: dict, actor: dict) -> dict:
        command, actor = parse(OfflineCommentIn, comment), parse(Actor, actor)
        return handlers.record_offline(self.store, draft_id, command, actor, utc_now()).view().model_dump(mode="json")

    @rpc
    def comment(self, comment_id: str, actor: dict) -> dict:
        found = handlers.loaded(self.store, comment_id)
        handlers.readable_by(self.store, found, parse(Actor, actor))
        return found.view().model_dump(mode="json")

    @rpc
    def review_comment(self, comment_id: str, action: str, body: dict | None, actor: dict) -> dict:
        """accept, reject (a reason), edit (the edited text) or merge (into another)."""
        actor, now = parse(Actor, actor), utc_now()
        if action == "merge":
            into = parse(MergeIn, body).into
            return consolidation.merge(self.store, comment_id, into, actor, now).view().model_dump(mode="json")
        rule = consolidation.rule_for(action, body, actor.ref, now)
        return consolidation.review(self.store, comment_id, actor, now, rule).view().model_dump(mode="json")

    @rpc
    def point_comments(self, draft_id: str, point_id: str, actor: dict) -> list[dict]:
        """A point's comments on a draft to consolidate (整理), each with its original and edited words."""
        found = consolidation.point_comments(self.store, draft_id, point_id, parse(Actor, actor))
        return [comment.view().model_dump(mode="json") for comment in found]

    @rpc
    def submit_comments(self, draft_id: str, submission: dict, actor: dict) -> dict:
        command, actor = parse(SubmitIn, submission), parse(Actor, actor)
        view = consolidation.submit(self.store, draft_id, command, actor, utc_now(), correlation_id.get())
        return view.model_dump(mode="json")

    @rpc
    def decide_adoption(self, comment_id: str, decision: dict, actor: dict) -> dict:
        command, actor = parse(AdoptionIn, decision), parse(Actor, actor)
        decided = adoption.decide(self.store, comment_id, command, actor, utc_now(), correlation_id.get())
        return decided.view().model_dump(mode="json")

    @rpc
    def adoption_figures(self, kind: str, key: str) -> dict:
        return adoption.figures(self.store, kind, key).model_dump(mode="json")

    @rpc
    def comment_aggregates(self, draft_id: str, article: int | None, actor: dict) -> dict:
        return aggregates.pull(self.store, draft_id, article, parse(Actor, actor)).model_dump(mode="json")

    @rpc
    def public_comment_counts(self, draft_id: str) -> dict:
        return aggregates.public_counts(self.store, draft_id).model_dump(mode="json")

    @rpc
    def comment_feed(self, draft_id: str, cursor: str | None, limit: int, actor: dict) -> dict:
        page = feed.feed(self.store, draft_id, cursor, limit, parse(Actor, actor), utc_now())
        return page.model_dump(mode="json")

    @rpc
    def export_comments(self, draft_id: str, format: str, actor: dict) -> dict:
        """The file, base64 in the answer (the RPC carries JSON), with its media type."""
        if format not in exports.FORMATS:
            raise ServiceError(ErrorCode.INVALID, "导出格式应为 csv、xlsx 或 json (unknown format)", "format")
        aggregates.draft_of(self.store, draft_id, parse(Actor, actor))
        render, media_type = exports.FORMATS[format]
        content = render(self.store.comments.of_draft(draft_id))
        return {"media_type": media_type, "content": base64.b64encode(content).decode()}

    @rpc
    def comment_report(self, draft_id: str, actor: dict) -> dict:
        """意见汇总 as a PDF, from the counters."""
        aggregate = aggregates.pull(self.store, draft_id, None, parse(Actor, actor))
        content = summary.render(aggregate, utc_now())
        return {"media_type": "application/pdf", "content": base64.b64encode(content).decode()}

    @settings_timer("outbox_sweep_seconds")
    def settle_comments(self):
        """Completes what a crash left half done, as the outbox sweep does for events: comments stored but
        not counted, adoption decisions saved but not counted, submissions recorded but not finished (each
        taken once, whatever the replicas)."""
        now, older_than = utc_now(), timedelta(seconds=2 * get_settings().outbox_sweep_seconds)
        self.store.comments.settle(older_than, now)
        self.store.comments.settle_adoptions(older_than, now)
        consolidation.settle(self.store, older_than, now)

    @rpc
    def contact_for_feedback(self, comment_id: str) -> dict:
        """notify only: the contributor's contact, to tell them the adoption decision."""
        return handlers.contact_for_feedback(self.store, self.cipher, comment_id)
