"""Tasks' RPCs, mixed into LegislationService."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.legislation.tasks import AssignTaskIn, ForwardTaskIn
from infra.clock import utc_now
from infra.nameko_entrypoints import rpc
from services.legislation.tasks import handlers


class TaskEntrypoints:
    @rpc
    def assign_task(self, draft_id: str, task: dict, actor: dict) -> dict:
        command, actor = parse(AssignTaskIn, task), parse(Actor, actor)
        assigned = handlers.assign_task(self.store, draft_id, command, actor, utc_now())
        return handlers.view(self.store, assigned).model_dump(mode="json")

    @rpc
    def forward_task(self, task_id: str, forward: dict, actor: dict) -> dict:
        command, actor = parse(ForwardTaskIn, forward), parse(Actor, actor)
        forwarded = handlers.forward_task(self.store, task_id, command, actor, utc_now())
        return handlers.view(self.store, forwarded).model_dump(mode="json")

    @rpc
    def task(self, task_id: str, actor: dict) -> dict:
        found = handlers.task_for(self.store, task_id, parse(Actor, actor))
        return handlers.view(self.store, found).model_dump(mode="json")

    @rpc
    def tasks(
        self, draft_id: str | None, point_id: str | None, actor: dict, limit: int = 50, after: str | None = None
    ) -> dict:
        page = handlers.tasks_of(self.store, draft_id, point_id, parse(Actor, actor), limit, after)
        return page.map(lambda task: handlers.view(self.store, task)).model_dump(mode="json")
