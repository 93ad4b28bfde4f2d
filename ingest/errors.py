"""Exceptions shared by the ILP Atlas libraries.

Every library error derives from `AtlasError`, so the CLI and the web layer can turn any of them
into a clean message (the CLI) or an HTTP response (the web app) without a traceback.
"""


class AtlasError(Exception):
    """Base class of every error the ILP Atlas libraries raise on purpose."""


class IngestError(AtlasError):
    """A document could not be read; the message says which file and why."""


class CatalogError(AtlasError):
    """The corpus catalog is missing, malformed or names files that do not exist."""
