"""A model made of one model per intensity measure type.

In a GSIM logic tree (the IMT keys quoted, since they hold brackets and dots)::

    [MultiGMPE."PGA".AkkarBommer2010]
    [MultiGMPE."SA(0.1)".SadighEtAl1997]

Each IMT is computed by its own model only; an IMT without a model is an error naming
it. Spectral accelerations match by period (``SA(1)`` and ``SA(1.0)`` are the same IMT).
"""
from __future__ import annotations

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import GMPE, TOTAL, UnknownIMT
from oqcore.hazard.imt import IMT


class MultiGMPE(GMPE):
    """Chooses the model by IMT: arguments ``{"IMT": {Name: {arguments}}, ...}``."""

    abstract = False
    COMPOSITE = True
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"

    def __init__(self, resolve=None, **kwargs):
        self.kwargs = dict(kwargs)
        self.mixture = None
        if not kwargs:
            raise InvalidInput('MultiGMPE needs one model per IMT, e.g. '
                               '[MultiGMPE."PGA".AkkarBommer2010]')
        #: the model of each IMT
        self.gsim_by_imt: dict[IMT, GMPE] = {}
        for key, spec in kwargs.items():
            try:
                imt = IMT.from_string(key)
            except InvalidInput as exc:
                raise InvalidInput("MultiGMPE: %s" % exc.msg) from None
            if imt in self.gsim_by_imt:
                raise InvalidInput("MultiGMPE: the IMT %s is given twice" % imt)
            gsim = site_terms.nested_model("MultiGMPE", key, spec, resolve)
            try:
                gsim.check_imt(imt)
            except InvalidInput as exc:
                raise InvalidInput("MultiGMPE: the model of %s cannot compute it: %s" % (
                    key, exc.msg)) from None
            self.gsim_by_imt[imt] = gsim
        gsims = list(self.gsim_by_imt.values())
        self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(
            imt.name for imt in self.gsim_by_imt)
        self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL]).union(
            *[g.DEFINED_FOR_STANDARD_DEVIATION_TYPES for g in gsims])
        self.REQUIRES_SITES_PARAMETERS = frozenset().union(
            *[g.REQUIRES_SITES_PARAMETERS for g in gsims])
        self.REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"]).union(
            *[g.REQUIRES_RUPTURE_PARAMETERS for g in gsims])
        self.REQUIRES_DISTANCES = frozenset().union(*[g.REQUIRES_DISTANCES for g in gsims])

    def check_imt(self, imt: IMT) -> None:
        """Raise :class:`UnknownIMT` naming ``imt`` if no model is given for it."""
        if imt not in self.gsim_by_imt:
            raise UnknownIMT("MultiGMPE has no model for %s (it has models for %s)" % (
                imt, ", ".join(str(i) for i in self.gsim_by_imt)))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            ms = self.gsim_by_imt[imt].get_mean_stds(ctx, [imt])  # (4, 1, N)
            mean[m], sig[m], tau[m], phi[m] = ms[:, 0]
