"""The site's own address (``site_url``, from ``SITE_URL``): checked before anything prints it.

Material writes it unescaped into every page's canonical link, the sitemap and the 404 page, and the
handout prints it with a QR code. So it must be a plain http(s) address: a host name, an optional
port and a path of URL characters only (letters, digits, ``-._~/`` and ``%XX``), no user name,
query or fragment. A ``"`` (which would end the attribute and start markup), ``javascript:``, a
space or a control character is refused with one line (exit 2), never printed.
"""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_HOST = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?")
_PATH = re.compile(r"(/([a-z0-9._~-]|%[0-9a-f]{2})*)*", re.I)
EXAMPLE = "https://example.org/cervical-insufficiency/"


def problem(url) -> str | None:
    """What is wrong with ``url`` as the site's address, or None when it is a plain http(s) address."""
    if not isinstance(url, str) or not url:
        return "it is empty"
    if not url.isascii() or any(c.isspace() or not c.isprintable() for c in url):
        return "it holds a space, a control or a non-ASCII character (write the host in its xn-- form, the path %-encoded)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"it is not a web address ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "it does not start with http:// or https://"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "it names a user (user@host); give the host only"
    host = parts.hostname or ""
    if not host:
        return "it names no host"
    if not _HOST.fullmatch(host):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return f"{host!r} is not a host name"
    if port == 0:
        return "port 0 is not a port"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "it has a query (?) or a fragment (#); the site's address is a folder"
    if not _PATH.fullmatch(parts.path):
        return "its path holds a character that is not allowed in an address (write it %-encoded)"
    return None


def check(url) -> None:
    """Raise ``ValueError`` with one line when ``url`` cannot be the site's address."""
    why = problem(url)
    if why:
        shown = url.encode("unicode_escape").decode("ascii") if isinstance(url, str) else repr(url)
        raise ValueError(f"SITE_URL {shown[:200]!r} is not a plain http(s) address: {why} (for example {EXAMPLE})")


_EMAIL = re.compile(r"[a-z0-9._%+-]{1,64}@(?P<host>[^@]+)", re.I)


def feedback_href(address) -> str | None:
    """Where "Report a problem with this page" leads (mkdocs.yml extra.feedback, from ``FEEDBACK_ADDRESS``):
    ``mailto:`` an e-mail address, or a plain http(s) address; None when it is unset (no link is printed).
    Anything else raises ``ValueError`` with one line."""
    if address in (None, ""):
        return None
    if isinstance(address, str):
        m = _EMAIL.fullmatch(address)
        if m and _HOST.fullmatch(m.group("host").lower()) and "." in m.group("host"):
            return f"mailto:{address}"
        if not address.lower().startswith(("http:", "https:")) and "@" not in address:
            why = "it is neither an e-mail address nor an http(s) address"
        else:
            why = problem(address) if not m else "it is not a plain e-mail address"
        if why is None:
            return address
    else:
        why = "it is not text"
    shown = address.encode("unicode_escape").decode("ascii") if isinstance(address, str) else repr(address)
    raise ValueError(f"FEEDBACK_ADDRESS {shown[:200]!r} cannot be the feedback address: {why} "
                     "(for example editors@example.org or https://example.org/feedback/)")
