"""Fetching a report given as a URL: http(s) only, never a local file, bounded in bytes and in total time.

- Redirects: at most MAX_REDIRECTS, to http(s) on the same host (a leading `www.` aside); https is never
  downgraded to http. Anything else (another host, ftp://, file://) is refused with the reason.
- The whole fetch (connect, redirects, body) has one deadline, `max_fetch_seconds`: a server that trickles
  a byte every few seconds is cut off at the deadline, not after each read's timeout.
- The body stops at `max_bytes`; a body shorter than its declared Content-Length is refused as truncated.
- With `allow_private_urls` off, a host that resolves to a loopback, private, link-local or reserved
  address is refused before any connection (batch manifests from outside).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.parse

from extractor.errors import ExtractionError, InputTooLarge, UnsupportedInput
from extractor.settings import Settings

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "extractor/0.1 (government information disclosure report tables)"


class NetworkError(ExtractionError):
    """The report could not be fetched (network, server or redirect trouble), as opposed to a bad file."""


def _host(netloc: str) -> str:
    host = (urllib.parse.urlsplit("//" + netloc).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _check_address(host: str, port: int, settings: Settings) -> None:
    if settings.allow_private_urls:
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise NetworkError(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved \
                or address.is_multicast or address.is_unspecified:
            raise UnsupportedInput(f"{host} resolves to {address}, a private or local address: refused")


def _open(url: str, deadline: float, settings: Settings
          ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, str]:
    """The connection and response after redirects, and the final URL."""
    first_host = _host(urllib.parse.urlsplit(url).netloc)
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UnsupportedInput(f"only http(s) URLs are fetched, not {url.split(':', 1)[0]!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        _check_address(parts.hostname, port, settings)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise NetworkError(f"fetching {url} took longer than {settings.max_fetch_seconds:.0f} s")
        conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_class(parts.hostname, port, timeout=min(remaining, 10.0))
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
            response = conn.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise NetworkError(f"cannot fetch {url}: {exc}") from None
        if response.status in (301, 302, 303, 307, 308):
            target = urllib.parse.urljoin(url, response.getheader("Location") or "")
            conn.close()
            new = urllib.parse.urlsplit(target)
            if new.scheme not in ("http", "https") or (parts.scheme == "https" and new.scheme == "http"):
                raise UnsupportedInput(f"{url} redirects to {target}: only http(s) redirects, never to plain "
                                       "http from https, are followed")
            if _host(new.netloc) != first_host:
                raise UnsupportedInput(f"{url} redirects to another host ({new.hostname}): not followed")
            url = target
            continue
        if response.status != 200:
            conn.close()
            raise NetworkError(f"cannot fetch {url}: HTTP {response.status} {response.reason}")
        return conn, response, url
    raise NetworkError(f"{url}: more than {MAX_REDIRECTS} redirects")


def fetch_url(url: str, settings: Settings) -> bytes:
    deadline = time.monotonic() + settings.max_fetch_seconds
    conn, response, final = _open(url, deadline, settings)
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > settings.max_bytes:
        response.close()
        raise InputTooLarge(f"{final} declares {declared} bytes, over the {settings.max_bytes}-byte limit")
    body = bytearray()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NetworkError(f"fetching {final} took longer than {settings.max_fetch_seconds:.0f} s")
            if conn.sock is not None:
                conn.sock.settimeout(min(remaining, 10.0))
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > settings.max_bytes:
                raise InputTooLarge(f"{final} is larger than {settings.max_bytes} bytes")
    except (OSError, http.client.HTTPException) as exc:
        raise NetworkError(f"cannot fetch {final}: {exc}") from None
    finally:
        response.close()
        conn.close()
    if declared and declared.isdigit() and len(body) < int(declared):
        raise NetworkError(f"{final}: body of {len(body)} bytes, shorter than the {declared} it declares "
                           "(connection cut)")
    return bytes(body)
