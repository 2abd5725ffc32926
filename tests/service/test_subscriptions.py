"""The subscriptions table that publishers declare matches the handlers the services declare."""

import importlib

from contracts.services import SERVICES, service_class_path
from contracts.subscriptions import SUBSCRIPTIONS
from infra.nameko_entrypoints import DurableEventHandler


def declared_handlers() -> set[tuple[str, str, str, str]]:
    """(source, event type, service, method) for every durable event handler of every service."""
    found = set()
    for service_name in SERVICES:
        module, _, attribute = service_class_path(service_name).partition(":")
        service_cls = getattr(importlib.import_module(module), attribute)
        for method_name in dir(service_cls):
            for entrypoint in getattr(getattr(service_cls, method_name), "nameko_entrypoints", ()):
                if isinstance(entrypoint, DurableEventHandler):
                    found.add((entrypoint.source_service, entrypoint.event_type, service_name, method_name))
    return found


def test_every_handler_is_in_the_table_and_every_entry_has_a_handler():
    table = {
        (model.SOURCE, model.TYPE, service, method)
        for model, subscribers in SUBSCRIPTIONS.items()
        for service, method in subscribers
    }
    assert table == declared_handlers()
