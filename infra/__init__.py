"""Plumbing shared by the services and the gateway: settings, logs, storage, messaging, metrics.

No domain logic lives here. Modules importing nameko (and so eventlet) are named `nameko_*`;
the asyncio gateway never imports them.
"""
