"""The root of every error ILP Atlas raises on purpose, and what each means to a caller.

Every library error derives from `AtlasError` and says, as class attributes, which HTTP status
the web app answers with and which exit code the `ilp` command ends with. The web layer and the
CLI each turn any of them into a response or a one-line message without a traceback, from those
two attributes alone, so a new error class needs no new handler.
"""

from __future__ import annotations


class AtlasError(Exception):
    """Base class of every error the ILP Atlas libraries raise on purpose."""

    status = 500  # HTTP status of the response that reports it
    title = "Something went wrong"  # the heading of that response
    exit_code = 1  # exit code of the `ilp` command that reports it
