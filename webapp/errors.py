"""Map library errors to HTTP responses: JSON under /api/, a friendly page elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ingest.errors import AtlasError
from search.builds import BuildError
from search.searcher import QueryError


class BadParameter(QueryError):
    """A request parameter has the wrong type or value."""


def _respond(status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(QueryError)
    def bad_query(error: QueryError):
        return _respond(400, "Bad request", str(error))

    @app.errorhandler(BuildError)
    def no_build(error: BuildError):
        return _respond(503, "Search index unavailable", str(error))

    @app.errorhandler(AtlasError)
    def library_error(error: AtlasError):
        return _respond(500, "Something went wrong", str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _respond(error.code or 500, error.name, error.description or "")
