"""The gateway's typed clients call RPCs that exist, with the arguments the services take."""

import importlib
import inspect

import pytest
from nameko.rpc import Rpc

from contracts.services import service_class_path
from gateway.clients import (
    IntakeClient,
    LegislationClient,
    NotifyClient,
    RoutingClient,
    ServiceClient,
    SupervisionClient,
)

CLIENTS = [IntakeClient, RoutingClient, SupervisionClient, NotifyClient, LegislationClient]


def service_class(name: str):
    module, _, attribute = service_class_path(name).partition(":")
    return getattr(importlib.import_module(module), attribute)


def rpc_methods(cls) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if any(isinstance(e, Rpc) for e in getattr(member, "nameko_entrypoints", ()))
    }


def client_methods(cls) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.iscoroutinefunction)
        if not name.startswith("_") and name not in vars(ServiceClient)
    }


def parameter_names(signature: inspect.Signature) -> list[str]:
    return [name for name in signature.parameters if name != "self"]


@pytest.mark.parametrize("client", CLIENTS, ids=lambda client: client.service)
def test_each_client_method_is_an_rpc_of_its_service_with_the_same_parameters(client):
    remote = rpc_methods(service_class(client.service))
    local = client_methods(client)
    assert local, f"{client.__name__} has no methods"
    for name, signature in local.items():
        assert name in remote, f"{client.service} has no rpc {name}"
        assert parameter_names(signature) == parameter_names(remote[name]), name


# RPCs only another service calls, never the gateway (each says so in its docstring)
SERVICE_TO_SERVICE = {"contact_for_feedback"}  # notify asks legislation for a contributor's contact
SERVICE_TO_SERVICE |= {"contact_for_notice"}  # notify asks intake for a citizen's phone, right before an SMS


def test_every_rpc_but_the_readiness_ping_has_a_client_method():
    for client in CLIENTS:
        missing = set(rpc_methods(service_class(client.service))) - set(client_methods(client)) - {"ping"}
        missing -= SERVICE_TO_SERVICE
        assert not missing, f"{client.service}: {sorted(missing)}"
