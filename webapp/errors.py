"""Map library errors to HTTP responses: JSON under /api/, a friendly page elsewhere.

Each `AtlasError` subclass names its own HTTP status and title (ilp_base/errors.py), so one
handler serves them all. A message never shows where the instance folder is: its absolute path
is replaced by its name. A build that cannot be read mid-request (SQLite reports damage) gets a
503 and is verified before the next request (search/index/keeper.py), never a 500.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ilp_base.errors import AtlasError
from search.searcher import QueryError
from webapp.services import report_unreadable_build


class BadParameter(QueryError):
    """A request parameter has the wrong type or value."""


def respond(status: int, title: str, message: str) -> tuple[Response | str, int]:
    """An error response: JSON under /api/, the error page elsewhere."""
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


def without_paths(message: str) -> str:
    """`message` with the instance folder's absolute path replaced by the folder's name."""
    instance = Path(current_app.config["ILP_INSTANCE"])
    if not instance.name:  # the root folder: nothing to hide, and "/" is in every path
        return message
    return message.replace(str(instance), instance.name)


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(AtlasError)
    def library_error(error: AtlasError) -> tuple[Response | str, int]:
        return respond(error.status, error.title, without_paths(str(error)))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        return respond(error.code or 500, error.name, error.description or "")

    @app.errorhandler(sqlite3.DatabaseError)
    def unreadable_build(error: sqlite3.DatabaseError) -> tuple[Response | str, int]:
        report_unreadable_build(str(error))
        return respond(
            503,
            "Search index unavailable",
            "The search index could not be read; it is being checked. Try again in a moment.",
        )
