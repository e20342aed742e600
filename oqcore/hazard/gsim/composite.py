"""Models made of weighted models, and the placeholder model of zero-weight branches.

In a GSIM logic tree::

    [AvgGMPE]
    b1.AkkarBommer2010.weight = 0.5
    b2.CauzziFaccioli2008.weight = 0.5

``bX`` are labels; each names one model with its arguments plus ``weight``.
:class:`AvgGMPE` averages the ln-means (weights normalised) and the variances
(total, between- and within-event), so it is again one normal distribution;
:class:`AvgPoeGMPE` averages the probabilities of exceedance instead (weights as given),
which only classical calculations can use.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, check_number, mixture_components)
from oqcore.hazard.imt import IMT


class _WeightedModels(GMPE):
    """Base of the models made of weighted models (``label.Name.weight = w``)."""

    abstract = True
    COMPOSITE = True
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"

    def __init__(self, resolve=None, **kwargs):
        name = type(self).__name__
        self.kwargs = dict(kwargs)
        mixture = kwargs.pop("mixture_model", None)
        self.mixture = None if mixture is None else mixture_components(name, mixture)
        if not kwargs:
            raise InvalidInput("%s needs at least one weighted model, e.g. "
                               "b1.AkkarBommer2010.weight = 1.0" % name)
        self.gsims: list[GMPE] = []
        weights = []
        for label, spec in kwargs.items():
            if not isinstance(spec, dict) or len(spec) != 1:
                raise InvalidInput("%s: %s must name one model with its weight, e.g. "
                                   "%s.AkkarBommer2010.weight = 0.5" % (name, label, label))
            [(model, args)] = spec.items()
            if not isinstance(args, dict) or "weight" not in args:
                raise InvalidInput("%s: %s.%s has no weight" % (name, label, model))
            args = dict(args)
            weight = args.pop("weight")
            check_number(name, "%s.%s.weight" % (label, model), weight)
            if weight < 0:
                raise InvalidInput("%s: %s.%s.weight is negative" % (name, label, model))
            self.gsims.append(site_terms.nested_model(name, label, {model: args}, resolve))
            weights.append(float(weight))
        self.weights = np.array(weights)
        if self.weights.sum() <= 0:
            raise InvalidInput("%s: the weights sum to zero" % name)
        sets = [g.DEFINED_FOR_STANDARD_DEVIATION_TYPES for g in self.gsims]
        self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = (
            sets[0] if all(s == sets[0] for s in sets) else frozenset([TOTAL]))
        self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset.intersection(
            *[frozenset(g.DEFINED_FOR_INTENSITY_MEASURE_TYPES) for g in self.gsims])
        self.REQUIRES_SITES_PARAMETERS = frozenset().union(
            *[g.REQUIRES_SITES_PARAMETERS for g in self.gsims])
        self.REQUIRES_RUPTURE_PARAMETERS = frozenset().union(
            *[g.REQUIRES_RUPTURE_PARAMETERS for g in self.gsims])
        self.REQUIRES_DISTANCES = frozenset().union(
            *[g.REQUIRES_DISTANCES for g in self.gsims])

    def check_imt(self, imt: IMT) -> None:
        for g in self.gsims:
            g.check_imt(imt)


class AvgGMPE(_WeightedModels):
    """The weighted average of models' ln-means and variances."""

    abstract = False

    def compute(self, ctx, imts, mean, sig, tau, phi):
        ms = np.array([g.get_mean_stds(ctx, imts) for g in self.gsims])  # (G, 4, M, N)
        w = self.weights / self.weights.sum()
        mean[:] = np.tensordot(w, ms[:, 0], axes=1)
        for i, out in ((1, sig), (2, tau), (3, phi)):
            out[:] = np.sqrt(np.tensordot(w, ms[:, i] ** 2, axes=1))


class AvgPoeGMPE(_WeightedModels):
    """The weighted sum of models' probabilities of exceedance (classical only)."""

    abstract = False

    def poe_components(self, ctx, imts):
        """Every component of every model, its weight times the model's."""
        out = []
        for w, g in zip(self.weights, self.gsims):
            out.extend((w * wc, ms) for wc, ms in g.poe_components(ctx, imts))
        return out

    def compute(self, ctx, imts, mean, sig, tau, phi):
        raise InvalidInput("AvgPoeGMPE averages probabilities of exceedance: it has no "
                           "single median and standard deviation (use it in classical "
                           "calculations only)")


class DummyGMPE(GMPE):
    """A placeholder for branches of zero weight: ln-mean 0 and tiny standard deviations
    (total 0.005, between-event 0.003, within-event 0.004) for any IMT."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Active Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    ARGUMENTS = {"ordinal": 0}

    def check_imt(self, imt: IMT) -> None:
        """Any IMT."""

    def compute(self, ctx, imts, mean, sig, tau, phi):
        mean[:] = 0.0
        sig[:] = 0.005
        tau[:] = 0.003
        phi[:] = 0.004
