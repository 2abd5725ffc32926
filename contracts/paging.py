"""A page of a list and the cursor of the next one: how every listing RPC answers."""

from typing import Generic, TypeVar

from pydantic import BaseModel

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next: str | None = None  # pass as `after` for the next page; None on the last

    def map(self, view) -> "Page":
        """The same page with each item turned into what callers see."""
        return Page(items=[view(item) for item in self.items], next=self.next)
