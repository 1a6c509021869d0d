"""Fetching articles by URL: only public http(s) addresses (unless allowed), redirects checked hop by hop, size and time capped."""

from __future__ import annotations

import socket

import httpx
import pytest

from quotetrace.errors import InputError
from quotetrace.fetch import FetchPolicy, check_url, fetch

PUBLIC = "http://93.184.216.34"  # a literal public address: no DNS is asked, and the mock transport answers


def mock(routes: dict[str, httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: routes.get(str(request.url), httpx.Response(404)))


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://127.1.2.3:8080/x", "http://10.1.2.3/", "http://172.16.0.1/",
                                 "http://192.168.0.1/", "http://169.254.169.254/", "http://[::1]/", "http://[fe80::1]/",
                                 "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/", "http://224.0.0.1/", "http://localhost/"])
def test_private_loopback_link_local_and_reserved_addresses_are_refused(url):
    with pytest.raises(InputError, match="private, loopback or reserved"):
        check_url(url, FetchPolicy())
    check_url(url, FetchPolicy(allow_private=True))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "javascript:alert(1)", "/etc/passwd", "http://"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(InputError, match="not an http"):
        check_url(url, FetchPolicy(allow_private=True))


def test_a_redirect_to_a_private_address_is_refused():
    transport = mock({f"{PUBLIC}/a": httpx.Response(302, headers={"location": "http://127.0.0.1/admin"})})
    with pytest.raises(InputError, match="127.0.0.1 is a private"):
        fetch(f"{PUBLIC}/a", transport=transport)


def test_redirects_under_the_rules_are_followed_but_not_forever():
    transport = mock({f"{PUBLIC}/a": httpx.Response(301, headers={"location": "/b"}),
                      f"{PUBLIC}/b": httpx.Response(200, content=b"<html>article</html>")})
    assert fetch(f"{PUBLIC}/a", transport=transport) == b"<html>article</html>"
    loop = mock({f"{PUBLIC}/loop": httpx.Response(302, headers={"location": "/loop"})})
    with pytest.raises(InputError, match="more than 5 redirects"):
        fetch(f"{PUBLIC}/loop", transport=loop)


def test_size_cap_holds_whether_the_length_is_declared_or_not():
    declared = mock({f"{PUBLIC}/big": httpx.Response(200, content=b"x" * 2_000)})
    with pytest.raises(InputError, match="larger than"):
        fetch(f"{PUBLIC}/big", FetchPolicy(max_bytes=1_000), transport=declared)
    streamed = httpx.MockTransport(lambda request: httpx.Response(200, content=iter([b"x" * 600] * 4)))
    with pytest.raises(InputError, match="larger than"):
        fetch(f"{PUBLIC}/stream", FetchPolicy(max_bytes=1_000), transport=streamed)


def test_http_errors_and_failed_connections_say_what_happened():
    with pytest.raises(InputError, match="answered HTTP 404"):
        fetch(f"{PUBLIC}/missing", transport=mock({}))

    def refuse(request):
        raise httpx.ConnectError("connection refused")
    with pytest.raises(InputError, match="could not be fetched"):
        fetch(f"{PUBLIC}/", transport=httpx.MockTransport(refuse))


@pytest.fixture
def local_server(page_server) -> int:
    return int(page_server(b"<html><body><p>private page</p></body></html>").rsplit(":", 1)[1])


def test_the_command_line_may_read_its_own_network(local_server):
    assert b"private page" in fetch(f"http://127.0.0.1:{local_server}/", FetchPolicy(allow_private=True))


def test_a_name_that_resolves_to_a_public_address_then_to_loopback_is_caught_at_the_connection(local_server, monkeypatch):
    real = socket.getaddrinfo
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", local_server))]])

    def rebinding(host, *args, **kwargs):  # first answer public (the check), then the truth (the connection)
        if host == "rebind.example":
            return next(answers, None) or real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(InputError, match="rebind.example is a private, loopback or reserved address"):
        fetch(f"http://rebind.example:{local_server}/")
