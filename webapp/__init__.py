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
    `ENCODER` (an `Encoder` to embed queries with; tests pass a deterministic one) and
    `SEARCH_CONFIG` (a `search.searcher.SearchConfig`; None means the tuned defaults).
    """
    from flask import Flask

    from webapp import settings

    settings.stay_offline()
    app = Flask(__name__)
    app.config.from_mapping(
        settings.from_environment(), ENCODER=None, SEARCH_CONFIG=None, JSON_SORT_KEYS=False
    )
    if config:
        app.config.update(config)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from webapp import api, errors, pages, security, sparql

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(sparql.bp)
    errors.register(app)
    security.register(app)
    return app
