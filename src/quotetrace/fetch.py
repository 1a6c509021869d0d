"""Fetching a web page, under rules a public web app can live with.

Only http(s); a timeout and a size cap; every address the host name resolves
to must be public (no loopback, private, link-local, multicast or reserved
address) unless private addresses are allowed, and the address actually
connected to is checked again (a name that resolves differently the second
time gains nothing); redirects are followed by hand, each hop under the same
rules. The command line allows private addresses: the user's own network is
theirs to read.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .errors import InputError

if TYPE_CHECKING:  # httpx is imported when a page is fetched: most runs read files
    import httpx

_REMEDY = "Save the page and give its text instead."


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do."""

    allow_private: bool = False
    timeout_seconds: float = 20.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5


def fetch(url: str, policy: FetchPolicy = FetchPolicy(), transport: httpx.BaseTransport | None = None) -> bytes:
    """The body of ``url``, or an InputError that says why it was refused or failed."""
    import httpx

    with httpx.Client(timeout=policy.timeout_seconds, follow_redirects=False, transport=transport,
                      headers={"User-Agent": "quotetrace"}) as client:
        for _ in range(policy.max_redirects + 1):
            check_url(url, policy)
            try:
                with client.stream("GET", url) as response:
                    _check_peer(url, response, policy)
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise InputError(f"{url} answered HTTP {response.status_code}.", "Check the address. " + _REMEDY)
                    return _read_capped(url, response, policy.max_bytes)
            except httpx.HTTPError as exc:
                raise InputError(f"{url} could not be fetched ({type(exc).__name__}: {exc}).", "Check the address. " + _REMEDY) from exc
    raise InputError(f"{url}: more than {policy.max_redirects} redirects.", _REMEDY)


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse a URL that is not http(s), or whose host is not public when it must be."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) address.", "Give an address that starts with http:// or https://.")
    if policy.allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"{parts.hostname} could not be found ({exc}).", "Check the address.") from exc
    for info in infos:
        _check_address(parts.hostname, info[4][0])


def _check_address(host: str, address: str) -> None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        raise InputError(f"{host} is a private, loopback or reserved address ({ip}); this server does not fetch those.",
                         "Give a public address, or paste the article's text.")


def _check_peer(url: str, response: httpx.Response, policy: FetchPolicy) -> None:
    """Check the address the connection really went to (a real network connection only)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer and not policy.allow_private:
        _check_address(urlsplit(url).hostname or "", peer[0])


def _read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"{url} is larger than {max_bytes // 1_000_000} MB.", _REMEDY)
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(f"{url} is larger than {max_bytes // 1_000_000} MB.", _REMEDY)
    return bytes(body)
