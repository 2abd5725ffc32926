"""Who acts: the caller the gateway authenticated, handed to every service action that changes state."""

from pydantic import BaseModel

from contracts.vocabulary import Role, within


class Actor(BaseModel):
    key_id: str
    role: Role
    scope: str  # a division code; "" for the bootstrap administrator, who sees everything
    label: str = ""
    unit: str | None = None  # the handling unit a handler's key acts for
    deputy: str | None = None  # the directory's deputy (人大代表) a deputy's key or console user is

    def can_see(self, division: str) -> bool:
        return within(division, self.scope)

    @property
    def ref(self) -> str:
        """How the actor appears in a case's history: the unit it acts for, else its role and key."""
        return f"unit:{self.unit}" if self.unit else f"{self.role.value}:{self.key_id}"
