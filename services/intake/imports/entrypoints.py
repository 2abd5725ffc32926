"""The imports RPCs, mixed into IntakeService."""

from contracts.actor import Actor
from contracts.errors import parse
from infra.logs import correlation_id
from infra.nameko_entrypoints import rpc
from services.intake import handlers
from services.intake.imports.batch import import_batch


class ImportEntrypoints:
    @rpc
    def import_opinions(self, commands: list[dict], actor: dict) -> list[dict]:
        """One batch of a county system's file (a few hundred rows, never the whole file): an outcome per command."""
        actor = parse(Actor, actor)

        def receive(command):
            return handlers.receive_staff_opinion(self.store, command, actor, correlation_id.get())

        return [outcome.model_dump(mode="json") for outcome in import_batch(commands, actor, receive)]
