"""JSON responses that are always valid JSON: never NaN or Infinity.

Python's `json` writes a non-finite float as `NaN`, `Infinity` or `-Infinity`, which JSON does
not have: a client's parser refuses the whole response. Such a number can only come from
damaged data (a build's vectors; see search/index/keeper.py for how damage is caught), so the
provider writes each as null and logs it, rather than failing the response.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from typing import Any

from flask.json.provider import DefaultJSONProvider

log = logging.getLogger(__name__)


class FiniteJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, writing non-finite numbers as null."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialise `obj`; a non-finite number becomes null (and a warning in the log)."""
        kwargs["allow_nan"] = False
        try:
            return super().dumps(obj, **kwargs)
        except ValueError as error:
            if "Out of range float" not in str(error):
                raise
        log.warning("A response held a non-finite number (NaN or infinity); written as null")
        return super().dumps(finite(obj), **kwargs)


def finite(value: Any) -> Any:
    """`value` with every non-finite float (in dicts, lists, tuples, dataclasses) as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return finite(dataclasses.asdict(value))
    return value
