"""notify's contracts: the answers of its RPCs."""

from datetime import datetime

from pydantic import BaseModel


class NotificationView(BaseModel):
    id: str
    recipient: str
    division: str
    kind: str
    title: str
    body: str
    created_at: datetime
    case_id: str | None = None
    read_at: datetime | None = None
