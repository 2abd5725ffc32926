"""The evaluation-code RPCs, mixed into IntakeService."""

from contracts.errors import parse
from contracts.intake.evaluation_codes import EvaluatorProofIn
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import rpc
from infra.settings import get_settings
from services.intake.evaluation_codes import handlers


def limits() -> handlers.Limits:
    settings = get_settings()
    return handlers.Limits(
        settings.evaluation_code_minutes, settings.evaluation_code_attempts, settings.evaluation_address_attempts
    )


class EvaluationCodeEntrypoints:
    @rpc
    def issue_evaluation_code(self, tracking_code: str) -> dict:
        sent = handlers.issue_code(self.store, self.cipher, tracking_code, utc_now(), limits(), correlation_id.get())
        return sent.model_dump(mode="json")

    @rpc
    def prove_evaluator(self, tracking_code: str, proof: dict, address: str) -> dict:
        """The case a citizen may evaluate, once they proved the item is theirs from `address`."""
        checked = parse(EvaluatorProofIn, proof)
        answer = handlers.prove(
            self.store, self.cipher, tracking_code, checked, address, utc_now(), limits(), correlation_id.get()
        )
        return answer.model_dump(mode="json")
