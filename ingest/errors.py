"""Errors of reading documents and catalogs (the root, `AtlasError`, is in ilp_base/errors.py)."""

from ilp_base.errors import AtlasError


class IngestError(AtlasError):
    """A document could not be read; the message says which file and why."""


class CatalogError(AtlasError):
    """The corpus catalog is missing, malformed or names files that do not exist."""
