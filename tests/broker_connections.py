"""One client's connections on the shared RabbitMQ, found by virtual host and connection name, and closed.

Only the named connections of the test's own virtual host are touched: the broker is shared with
other runs, whose connections must never be closed.
"""

from devtools.broker import rabbitmqctl


def named_connections(vhost: str, connection_name: str) -> list[str]:
    """Erlang pids of the connections in `vhost` whose client calls itself `connection_name`."""
    listing = rabbitmqctl("list_connections", "--quiet", "--no-table-headers", "pid", "vhost", "client_properties")
    marker = f'{{"connection_name","{connection_name}"}}'
    pids = []
    for line in listing.splitlines():
        pid, _, rest = line.partition("\t")
        in_vhost, _, properties = rest.partition("\t")
        if in_vhost == vhost and marker in properties:
            pids.append(pid)
    return pids


def close_connection(pid: str, reason: str) -> None:
    rabbitmqctl("close_connection", pid, reason)
