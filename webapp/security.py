"""Security headers on every response, redirects that name no host, and waitress's own errors.

Every asset is served by the app itself (users may be on closed networks), so the
Content-Security-Policy allows no external source, no inline script or style and no framing.
Headers a view has already set are left alone, so a route that needs another policy (an embed,
a download) can set its own.

A redirect's Location is made relative when it names the host the request was sent to (werkzeug
builds the slash redirect, `/concepts` -> `/concepts/`, from the Host header, which the client
chooses). With `ILP_SERVER_NAME` set, absolute URLs are built from it instead.

Waitress answers some requests itself, before the app sees them (431 for headers over its
limit, 400 for a malformed request, 413 for a body over its limit), so no after-request hook or
WSGI middleware can add headers to those. Waitress has no setting for them either, but its
channel names the class that writes them (`HTTPChannel.error_task_class`):
`secure_server_errors` replaces it with one that adds the same headers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Set each security header the response does not already have."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def relative_redirect(response: Response) -> Response:
    """Drop the scheme and host from a Location that repeats the request's Host header."""
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc and parts.netloc.lower() == request.host.lower():
            relative = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
            response.headers["Location"] = relative
    return response


def register(app: Flask) -> None:
    """Install the headers and relative redirects (after_request also runs for errors, static
    files and routing redirects)."""
    app.after_request(relative_redirect)
    app.after_request(add_security_headers)


def secure_server_errors() -> None:
    """Make waitress add the security headers to the error responses it writes itself."""
    from waitress.channel import HTTPChannel

    if getattr(HTTPChannel.error_task_class, "adds_security_headers", False):
        return

    class SecureErrorTask(HTTPChannel.error_task_class):
        """Waitress's error response (400, 413, 431, ...) with the security headers."""

        adds_security_headers = True

        def execute(self) -> Any:
            self.response_headers.extend(SECURITY_HEADERS.items())
            return super().execute()

    HTTPChannel.error_task_class = SecureErrorTask
