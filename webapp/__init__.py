"""The ILP Atlas web app and CLI: the only layer that knows HTTP, the command line and settings.

Public API: `create_app(config)`, the Flask application factory; `webapp.cli.cli`, the `ilp`
command group; `webapp.settings`, the one place that reads `ILP_*` environment variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported by create_app: `ilp ingest` and friends never need it
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app: settings from the environment (`webapp/settings.py`), then `config`.

    Keys: `ILP_INSTANCE` (the instance folder), `ILP_MODEL` (a local model folder or None),
    the server's limits and `ILP_SERVER_NAME` (see webapp/settings.py), `ENCODER` (an `Encoder`
    to embed queries with; tests pass a deterministic one), `MULTILINGUAL_ENCODER` (the one for
    queries not in English; None means the shipped multilingual model, loaded on the first such
    query) and `SEARCH_CONFIG` (a `search.searcher.SearchConfig`; None means the tuned
    defaults).
    """
    from flask import Flask

    from webapp import settings
    from webapp.json_provider import FiniteJSONProvider

    settings.stay_offline()
    app = Flask(__name__)
    app.json = FiniteJSONProvider(app)  # never NaN or Infinity in a response
    app.config.from_mapping(
        settings.from_environment(),
        ENCODER=None,
        MULTILINGUAL_ENCODER=None,
        SEARCH_CONFIG=None,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=1 << 20,  # no request needs more (a SPARQL query: 20 kB at most)
    )
    if config:
        app.config.update(config)
    if app.config.get("ILP_SERVER_NAME"):  # absolute URLs from it, never from the Host header
        app.config["SERVER_NAME"] = app.config["ILP_SERVER_NAME"]
    app.json.sort_keys = False

    from ingest.models import pages_label
    from webapp import api, errors, pages, security, sparql

    app.jinja_env.globals["pages_label"] = pages_label  # "p. 19", "pp. 19-20", in every page
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(sparql.bp)
    errors.register(app)
    security.register(app)
    security.secure_server_errors()
    return app
