"""Typed contracts shared by every service and the gateway: events, commands, RPC payloads, errors.

Nothing else is shared between services but plumbing (`infra`).
"""
