"""Divisions' own templates, one document per division, event type and channel, keyed by all three.

The template in effect for a division is its own, else its county's (a township inherits the wording its
county chose), else the default: at most three `_id` lookups.
"""

from datetime import datetime

from contracts.notify.templates import TemplateChannel, TemplateIn

LEVELS = (12, 9, 6)  # village, township, county codes (GB/T 2260)


def template_id(division: str, event_type: str, channel: TemplateChannel) -> str:
    return f"{division}|{event_type}|{channel.value}"


class TemplateStore:
    def __init__(self, db):
        self.collection = db["templates"]

    def ensure_indexes(self) -> None:
        # listing a division's own templates
        self.collection.create_index([("division", 1), ("event_type", 1)])

    def save(
        self, division: str, event_type: str, channel: TemplateChannel, template: TemplateIn, by: str, at: datetime
    ) -> None:
        document = {
            "division": division,
            "event_type": event_type,
            "channel": channel.value,
            **template.model_dump(),
            "updated_by": by,
            "updated_at": at,
        }
        self.collection.replace_one({"_id": template_id(division, event_type, channel)}, document, upsert=True)

    def remove(self, division: str, event_type: str, channel: TemplateChannel) -> bool:
        return self.collection.delete_one({"_id": template_id(division, event_type, channel)}).deleted_count == 1

    def in_effect(self, division: str, event_type: str, channel: TemplateChannel) -> tuple[str, TemplateIn] | None:
        """(the division whose template applies, the template), or None when the default applies."""
        for length in LEVELS:
            if length > len(division):
                continue
            document = self.collection.find_one({"_id": template_id(division[:length], event_type, channel)})
            if document is not None:
                return document["division"], TemplateIn.model_validate(document)
        return None
