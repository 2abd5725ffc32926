"""Reliable delivery of stored notifications over the outgoing channels (issue 13, item 4).

Event handlers only plan: they store one `Delivery` per (event, recipient, channel), keyed by `_id`, so a
replayed event plans nothing new. A worker elsewhere claims the due ones and sends them on a pool with
leases, so a slow or dead receiver holds up neither the others nor the consumption of events.
"""
