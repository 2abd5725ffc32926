"""Which channels a notice goes out on, and when an SMS may be sent: plain rules, no I/O."""

from datetime import datetime, time, timedelta

from contracts.notify.delivery import NotifyChannel, QuietHours
from infra.clock import SHANGHAI
from services.notify.recipients import default_channels

EVERY_CHANNEL = tuple(NotifyChannel)


def outgoing_channels(
    recipient: str, event_type: str, chosen: dict[str, list[str]] | None, allowed: tuple[str, ...]
) -> list[NotifyChannel]:
    """The channels besides the in-app inbox (which is the stored notice itself): the principal's choice
    for this event type, else its audience's defaults, within what its division allows."""
    wanted = (chosen or {}).get(event_type)
    channels = [NotifyChannel(c) for c in wanted] if wanted is not None else list(default_channels(recipient))
    return [c for c in channels if c is not NotifyChannel.IN_APP and c in allowed]


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_until(now: datetime, quiet: QuietHours | None) -> datetime | None:
    """The end of the quiet hours `now` falls in (Asia/Shanghai), as UTC; None outside them."""
    if quiet is None:
        return None
    local = now.astimezone(SHANGHAI)
    start, end = _clock(quiet.start), _clock(quiet.end)
    clock = local.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(now.tzinfo)
