"""The base of every event (past tense) and command (imperative): its wire name, version and source.

A handler subscribes by model (`durable_event_handler(CaseAssigned)`), so the name, the publishing
service and the payload schema are written once, in the owner's contracts module.
"""

from typing import ClassVar

from pydantic import BaseModel

from contracts.envelope import Envelope


class Message(BaseModel):
    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    SOURCE: ClassVar[str]

    def envelope(self, division: str, correlation_id: str) -> Envelope:
        return Envelope(
            type=self.TYPE,
            version=self.VERSION,
            division=division,
            correlation_id=correlation_id,
            payload=self.model_dump(mode="json"),
        )

    @classmethod
    def from_wire(cls, body: dict) -> tuple[Envelope, "Message"]:
        """Parses a message as it came off the broker: the envelope, then this payload model."""
        envelope = Envelope.model_validate(body)
        return envelope, cls.from_envelope(envelope)

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> "Message":
        if envelope.type != cls.TYPE or envelope.version != cls.VERSION:
            raise ValueError(f"expected {cls.TYPE} v{cls.VERSION}, got {envelope.type} v{envelope.version}")
        return cls.model_validate(envelope.payload)
