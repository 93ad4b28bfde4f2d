"""Map library errors to HTTP responses: JSON under /api/, a friendly page elsewhere.

Each `AtlasError` subclass names its own HTTP status and title (ilp_base/errors.py), so one
handler serves them all.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ilp_base.errors import AtlasError
from search.searcher import QueryError


class BadParameter(QueryError):
    """A request parameter has the wrong type or value."""


def respond(status: int, title: str, message: str) -> tuple[Response | str, int]:
    """An error response: JSON under /api/, the error page elsewhere."""
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(AtlasError)
    def library_error(error: AtlasError) -> tuple[Response | str, int]:
        return respond(error.status, error.title, str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        return respond(error.code or 500, error.name, error.description or "")
