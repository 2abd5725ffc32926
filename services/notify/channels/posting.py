"""What the HTTP channels share: a client, the destination check before each request, how an answer is judged.

Every request goes to the address the destination check resolved and approved (destinations.py), with the
original name in the Host header and as the TLS name to verify: a name re-pointed at an internal address
between the check and the connection (DNS rebinding) cannot redirect it.
"""

import logging
import ssl

import httpx

from services.notify.channels.base import DeliveryFailed
from services.notify.channels.destinations import Destination, check_destination


def client(timeout: float, verify: ssl.SSLContext | bool = True) -> httpx.Client:
    # httpx logs each request's URL at INFO: a robot's URL carries its access token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # never follow a redirect: it could lead past the destination check
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=verify)


def pinned(destination: Destination) -> tuple[str, dict, dict]:
    """The URL with its host replaced by the checked address, the Host header and the TLS name to verify."""
    if destination.address is None:
        return destination.url, {}, {}
    url = httpx.URL(destination.url).copy_with(host=destination.address)
    default = (destination.scheme, destination.port) in (("http", 80), ("https", 443))
    host_header = destination.host if default else f"{destination.host}:{destination.port}"
    return str(url), {"Host": host_header}, {"sni_hostname": destination.host}


def post(
    http: httpx.Client, url: str, allow_internal: bool | None = None, headers: dict | None = None, **kwargs
) -> httpx.Response:
    """The answer of a 2xx, from the checked address of `url`; a timeout, a refused connection, 408, 429 or
    a 5xx may succeed later, any other answer will not."""
    target, pinned_headers, extensions = pinned(check_destination(url, allow_internal))
    try:
        answer = http.post(target, headers=pinned_headers | (headers or {}), extensions=extensions, **kwargs)
    except httpx.TimeoutException:
        raise DeliveryFailed("接收方响应超时（the receiver timed out）", retryable=True) from None
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"无法连接接收方（cannot reach the receiver）: {type(error).__name__}", True) from None
    if answer.is_success:
        return answer
    status = answer.status_code
    raise DeliveryFailed(
        f"接收方拒绝（the receiver answered {status}）", retryable=status in (408, 425, 429) or status >= 500
    )
