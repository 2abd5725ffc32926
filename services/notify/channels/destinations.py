"""Where a webhook or robot may post: http(s) only and, in production, never inside the platform's network.

The check runs when a subscription is saved and again before every delivery on the addresses the name
resolves to then, so a name that later resolves to a private address (DNS rebinding) is refused; the
webhook adapter connects to the very address checked.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from pydantic import BaseModel

from infra.settings import get_settings
from services.notify.channels.base import DeliveryFailed


class Destination(BaseModel):
    url: str
    scheme: str
    host: str
    port: int
    # the address checked, to connect to (None when the settings allow any address and it was not resolved)
    address: str | None = None


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
        or (isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network("100.64.0.0/10"))
    )


def parse_destination(url: str) -> Destination:
    """The URL's parts; a URL that is not http(s) with a host is refused (not retryable)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise DeliveryFailed(f"地址无法解析（unparseable URL）: {error}", retryable=False) from None
    if parts.scheme not in ("http", "https"):
        raise DeliveryFailed("仅支持 http 或 https 地址（only http(s) URLs）", retryable=False)
    if not parts.hostname:
        raise DeliveryFailed("地址缺少主机名（URL without a host）", retryable=False)
    if parts.username or parts.password:
        raise DeliveryFailed("地址不得包含用户名或密码（no credentials in the URL）", retryable=False)
    default_port = 443 if parts.scheme == "https" else 80
    return Destination(url=url, scheme=parts.scheme, host=parts.hostname, port=port or default_port)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        # a name that does not resolve now may resolve later (DNS outage)
        raise DeliveryFailed(f"无法解析主机名（cannot resolve {host}）: {error}", retryable=True) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_destination(url: str, allow_internal: bool | None = None) -> Destination:
    """The destination of `url`, resolved and checked; raises DeliveryFailed (not retryable) for a URL
    that is not http(s) or, unless internal addresses are allowed (development settings), for a name
    resolving to any loopback, link-local, private or otherwise non-public address."""
    if allow_internal is None:
        allow_internal = internal_destinations_allowed()
    destination = parse_destination(url)
    addresses = _resolve(destination.host, destination.port)
    if not allow_internal:
        for text in addresses:
            if _is_internal(ipaddress.ip_address(text.split("%", 1)[0])):
                raise DeliveryFailed(
                    f"目标地址属于内网、回环或链路本地地址（{destination.host} resolves to a non-public address）",
                    retryable=False,
                )
    return destination.model_copy(update={"address": addresses[0]})


def internal_destinations_allowed() -> bool:
    """Only development settings may post to loopback or private addresses (local receivers in tests)."""
    return get_settings().environment == "development"
