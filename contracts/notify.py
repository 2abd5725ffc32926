"""notify's contracts: the answers of its RPCs."""

from pydantic import BaseModel

from contracts.vocabulary import Instant


class NotificationView(BaseModel):
    id: str
    recipient: str
    division: str
    kind: str
    title: str
    body: str
    created_at: Instant
    case_id: str | None = None
