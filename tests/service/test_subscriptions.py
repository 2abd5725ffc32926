"""The subscriptions table that publishers declare matches the handlers the services declare."""

import importlib

from contracts.subscriptions import SUBSCRIPTIONS
from devtools.launcher import SERVICES
from infra.nameko_ext import DurableEventHandler


def declared_handlers() -> set[tuple[str, str, str, str]]:
    """(source, event type, service, method) for every durable event handler of every service."""
    found = set()
    for service_name, target in SERVICES.items():
        module, _, attribute = target.partition(":")
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
