"""The one cattrs Converter of oqcore: JobParams <-> JSON-friendly dicts.

Errors of structuring are flattened to ``{parameter: message}``.
"""
from __future__ import annotations

import functools

import attrs
import cattrs


@functools.lru_cache(maxsize=1)
def converter() -> cattrs.Converter:
    """The shared converter (built on first use, never at import time)."""
    return cattrs.Converter()


def unstructure_params(params) -> dict:
    """JobParams -> dict of plain Python values (lists, dicts, numbers, strings)."""
    out = converter().unstructure(params)
    if not isinstance(out, dict):  # dynamic attrs classes unstructure as dicts
        out = attrs.asdict(params)
    return out


def structure_params(data: dict, cls: type):
    """dict -> JobParams of class ``cls`` (from :func:`oqcore.params.jobparams_class`);
    keys the class does not know are ignored."""
    names = {f.name for f in attrs.fields(cls)}
    try:
        return converter().structure({k: v for k, v in data.items() if k in names}, cls)
    except cattrs.BaseValidationError as exc:
        raise ValueError(flatten_errors(exc)) from None


def flatten_errors(exc: Exception) -> dict[str, str]:
    """A cattrs validation error as {parameter: message}."""
    out = {}
    if isinstance(exc, cattrs.BaseValidationError):
        for sub, note in zip(exc.exceptions, getattr(exc, "__notes__", []) or []):
            out[str(note)] = str(sub)
        if not out:
            for sub in exc.exceptions:
                out[type(sub).__name__] = str(sub)
    else:
        out["error"] = str(exc)
    return out
