"""supervision's contracts: the answers of its RPCs."""

from datetime import date, datetime

from pydantic import BaseModel

from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus


class DeadlineView(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef
    assigned_at: datetime
    due_date: date
    calendar_fallback: bool
    status: CaseStatus
    overdue: bool
