"""Per-request facts that services need but should not take as arguments (the client IP)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured

current_ip: ContextVar[str | None] = ContextVar("wushe_current_ip", default=None)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# The proxies in front: a number of hops, or the proxies' addresses and networks (None: no proxy).
Trusted = int | tuple[Network, ...] | None


def _address(text: str) -> IPAddress | None:
    """One X-Forwarded-For entry as an address, or None when it is not one."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:10.0.0.5 is 10.0.0.5 (a dual-stack listener)
    return address


@lru_cache(maxsize=8)
def parse_trusted_proxies(value: str) -> Trusted:
    """``WUSHE_TRUSTED_PROXIES`` as a hop count or a tuple of networks; a bad entry is a
    configuration error (never a silent "trust nobody" or "trust everybody")."""
    value = value.strip()
    if value in ("", "0"):
        return None
    if value.isdigit():
        return int(value)
    networks = []
    for entry in value.split(","):
        if not entry.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"WUSHE_TRUSTED_PROXIES: {entry.strip()!r} is neither a hop count nor an "
                "address or network") from None
    return tuple(networks) or None


def trusted_proxies() -> Trusted:
    """The setting, read at call time; ``WUSHE_TRUST_PROXY`` (deprecated) means one hop."""
    from django.conf import settings

    value: Any = getattr(settings, "WUSHE_TRUSTED_PROXIES", None)
    if value in (None, "") and getattr(settings, "WUSHE_TRUST_PROXY", False):
        value = 1
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    return parse_trusted_proxies(str(value if value is not None else ""))


def _is_trusted(address: IPAddress, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(meta: Mapping[str, Any]) -> str | None:
    """The client's address: the one function behind the rate limits, the login locks and
    the audit log's IP.

    X-Forwarded-For is written by whoever sends the request, so only the entries that trusted
    proxies appended are believed, read from the right. Without ``WUSHE_TRUSTED_PROXIES`` the
    header is ignored and the client is REMOTE_ADDR. With a hop count N, the client is the
    entry N hops from the right of ``X-Forwarded-For + [REMOTE_ADDR]`` (what the outermost of
    the N proxies appended); with addresses, the chain is walked only when REMOTE_ADDR is one
    of them, right to left past every trusted address, and the first other one is the client.
    An entry that is not an address ends the walk at the last good one; a chain shorter than
    N hops (no client entries at all) ends at its leftmost, written by a proxy.
    """
    remote = _address(str(meta.get("REMOTE_ADDR") or ""))
    if remote is None:
        return None  # a unix socket or a broken server: no address to count or record
    trusted = trusted_proxies()
    if trusted is None:
        return str(remote)
    if isinstance(trusted, tuple) and not _is_trusted(remote, trusted):
        return str(remote)  # not from our proxy: its header is the client's own words
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [entry for entry in forwarded.split(",") if entry.strip()] if forwarded else []
    last = remote
    steps = 0
    for entry in reversed(hops):
        address = _address(entry)
        if address is None:
            break
        last = address
        steps += 1
        if isinstance(trusted, int):
            if steps == trusted:
                break
        elif not _is_trusted(address, trusted):
            break
    return str(last)


def check_trusted_proxies(**kwargs: Any) -> list[Any]:
    """System check: a bad WUSHE_TRUSTED_PROXIES stops ``check``/``migrate``, not each request."""
    from django.core.checks import Error

    try:
        trusted_proxies()
    except ImproperlyConfigured as e:
        return [Error(str(e), id="wushe.E016")]
    return []
