"""oqcore: a fast, pluggable re-implementation of the OpenQuake engine."""
import pluggy

__version__ = "0.1.0"
#: the OpenQuake engine version whose behaviour (outputs, API) oqcore reproduces
ENGINE_VERSION = "3.26.2"

#: marker for plugin hook implementations (project name "oqcore")
hookimpl = pluggy.HookimplMarker("oqcore")


def load_registry(*args, **kwargs):
    """Build a fresh :class:`oqcore.registry.Registry` (see its ``load``)."""
    from oqcore.registry import Registry
    return Registry.load(*args, **kwargs)
