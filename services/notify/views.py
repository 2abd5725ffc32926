"""What a recipient sees in the in-app inbox."""

from contracts.notify import NotificationView
from services.notify.notification import Notification


def notification_view(note: Notification) -> NotificationView:
    return NotificationView.model_validate(note.model_dump(include=set(NotificationView.model_fields)))
