"""The county calendars' event handler, mixed into SupervisionService."""

from contracts.routing import CalendarDaySet
from infra.nameko_entrypoints import event_handler
from services.supervision.county_calendar import handlers


class CountyCalendarEntrypoints:
    @event_handler(CalendarDaySet)
    def watch_on_calendar_day_set(self, body):
        _, event = CalendarDaySet.from_wire(body)
        handlers.apply_calendar_day(self.store, event)
