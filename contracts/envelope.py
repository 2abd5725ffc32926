"""The envelope every event travels in (ARCHITECTURE.md, rule 2)."""

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from ulid_transform import ulid_now


def new_event_id() -> str:
    return ulid_now()


class Envelope(BaseModel):
    event_id: str = Field(default_factory=new_event_id)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    division: str
    correlation_id: str
    payload: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        """The JSON-ready form put on the broker."""
        return self.model_dump(mode="json")
