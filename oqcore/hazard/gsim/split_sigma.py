"""SplitSigmaGMPE: a model with only a total standard deviation given a between-event
and a within-event one.

In a GSIM logic tree::

    [SplitSigmaGMPE]
    gmpe_name = "Campbell2003"
    within_absolute = 0.3

(or ``gmpe.Campbell2003 = {}``). With ``between_absolute`` = τ, the within-event
standard deviation is sqrt(σ² - τ²); with ``within_absolute`` = φ, the between-event one
is sqrt(σ² - φ²) (σ the model's total, which is kept; ``between_absolute`` wins when
both are given). A value above the total is an error.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_number


class SplitSigmaGMPE(GMPE):
    """A model whose total standard deviation is split (see the module docstring)."""

    abstract = False
    COMPOSITE = True
    OWN_ARGUMENTS = ("within_absolute", "between_absolute")

    def __init__(self, resolve=None, **kwargs):
        name = type(self).__name__
        self.kwargs = dict(kwargs)
        self.mixture = None
        self.gmpe = site_terms.inner_model(name, kwargs, resolve, self.OWN_ARGUMENTS)
        site_terms.copy_definitions(self, self.gmpe)
        self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT,
                                                               INTRA_EVENT])
        self.between = kwargs.get("between_absolute")
        self.within = kwargs.get("within_absolute")
        if self.between is None and self.within is None:
            raise InvalidInput("%s needs between_absolute or within_absolute" % name)
        for key in self.OWN_ARGUMENTS:
            if kwargs.get(key) is not None:
                check_number(name, key, kwargs[key])
                if kwargs[key] < 0:
                    raise InvalidInput("%s: %s must not be negative" % (name, key))

    def check_imt(self, imt) -> None:
        self.gmpe.check_imt(imt)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        self.gmpe.compute(ctx, imts, mean, sig, tau, phi)
        given, what = ((self.between, "between-event") if self.between is not None
                       else (self.within, "within-event"))
        if np.any(sig < given):
            raise InvalidInput("SplitSigmaGMPE: the %s standard deviation %s exceeds the "
                               "total one of %s (minimum %.4f)" % (
                                   what, given, type(self.gmpe).__name__, sig.min()))
        other = np.sqrt(sig ** 2 - given ** 2)
        if self.between is not None:
            tau[:], phi[:] = given, other
        else:
            tau[:], phi[:] = other, given
