"""Discovery of the built-in GSIMs and their registration hook."""
from __future__ import annotations

import importlib
import pkgutil

import oqcore
from oqcore.hazard.gsim import base

_NOT_MODELS = {"base", "library", "verification", "logictree", "toml_form"}


def builtin_gsims() -> dict[str, type]:
    """Import every model module of the package; return {class name: class}."""
    import oqcore.hazard.gsim as pkg
    found: dict[str, type] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in _NOT_MODELS or info.name.startswith("_"):
            continue
        module = importlib.import_module("%s.%s" % (pkg.__name__, info.name))
        for cls in base.concrete_subclasses(module):
            found[cls.__name__] = cls
    return found


@oqcore.hookimpl
def oq_register_gsims(registry):
    """Register the built-in ground-motion models."""
    for name, cls in sorted(builtin_gsims().items()):
        registry.add_gsim(name, cls)
