"""The ILP Atlas web app: `create_app()` is the Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Flask is imported by create_app: `ilp ingest` and friends never need it
    from flask import Flask

EXAMPLE_QUESTIONS = {
    "Policy-makers and senior managers": [
        "Does intelligence-led policing replace response policing?",
        "What does a police service need before it can implement ILP?",
        "How does ILP protect human rights and personal data?",
    ],
    "Academics": [
        "What is the 3-i model?",
        "How do definitions of intelligence-led policing differ?",
        "What evidence is there that ILP works?",
    ],
    "Trainers": [
        "Examples of tasking and co-ordination meetings",
        "How did Serbia introduce intelligence-led policing?",
        "How are sources and information graded (5x5x5)?",
    ],
}


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app. Configuration: `ILP_INSTANCE`, `ILP_MODEL`, or `test_config`."""
    from flask import Flask

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never contact the Hugging Face hub
    app = Flask(__name__)
    app.config.from_mapping(
        ILP_INSTANCE=str(Path(os.environ.get("ILP_INSTANCE", "instance")).resolve()),
        ILP_MODEL=os.environ.get("ILP_MODEL") or None,
        ENCODER=None,  # tests pass a deterministic encoder here
        SEARCH_CONFIG=None,  # a search.searcher.SearchConfig; None means the tuned defaults
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False

    from webapp import api, errors, pages, security, sparql

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(sparql.bp)
    errors.register(app)
    security.register(app)
    return app
