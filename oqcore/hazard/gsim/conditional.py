"""Conditional models inside ModifiableGMPE: some IMTs predicted from the underlying
model's predictions of other IMTs.

In a GSIM logic tree::

    [ModifiableGMPE]
    gmpe.AbrahamsonGulerce2020SInter = {}
    [ModifiableGMPE.conditional_gmpe]
    "PGV" = {gmpe.AbrahamsonBhasin2020PGA = {}}

A conditional model is a GMPE with ``CONDITIONAL = True``, the IMTs it conditions on
(``REQUIRES_IMTS``) and a method ``compute_conditional(ctx, base)`` where ``base`` maps
each required IMT string to the underlying model's (mean, sig, tau, phi), each (N,);
it returns the (mean, sig, tau, phi) of its own IMT.
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.imt import IMT


class ConditionalModels:
    """The conditional models of a ModifiableGMPE, by IMT string.

    :param spec: ``{imt: {"gmpe": {Name: {arguments}}}}``
    :param resolve: (name, arguments) -> model
    """

    def __init__(self, spec, resolve):
        if not isinstance(spec, dict) or not spec:
            raise InvalidInput("ModifiableGMPE: conditional_gmpe must map IMTs to models, "
                               "e.g. \"PGV\" = {gmpe.AbrahamsonBhasin2020 = {}}")
        self.models: dict = {}
        required: dict = {}
        self.sites = self.rupture = self.distances = frozenset()
        for key, entry in spec.items():
            try:
                imt = IMT.from_string(key)
            except InvalidInput:
                raise InvalidInput("ModifiableGMPE: conditional_gmpe has an unknown IMT %r"
                                   % key) from None
            if not isinstance(entry, dict) or set(entry) != {"gmpe"}:
                raise InvalidInput("ModifiableGMPE: conditional_gmpe.%s must be "
                                   "{gmpe.Name = {...}}, got %r" % (key, entry))
            model = site_terms.nested_model("ModifiableGMPE", "conditional_gmpe.%s" % key,
                                            entry["gmpe"], resolve)
            if not getattr(model, "CONDITIONAL", False):
                raise InvalidInput("ModifiableGMPE: %s is not a conditional model; it "
                                   "cannot predict %s in conditional_gmpe" % (
                                       type(model).__name__, key))
            model.check_imt(imt)
            self.models[str(imt)] = model
            for req in model.REQUIRES_IMTS:
                required[str(req)] = req
            self.sites |= model.REQUIRES_SITES_PARAMETERS
            self.rupture |= model.REQUIRES_RUPTURE_PARAMETERS
            self.distances |= model.REQUIRES_DISTANCES
        self.required = sorted(required.values(), key=lambda i: (i.name, i.period))
        self.imt_names = frozenset(IMT.from_string(k).name for k in self.models)

    def check_imt(self, imt: IMT) -> None:
        """Raise UnknownIMT if the conditional model of ``imt`` cannot do it."""
        self.models[str(imt)].check_imt(imt)

    def base_predictions(self, gmpe, ctx) -> dict:
        """{IMT string: (mean, sig, tau, phi)} of the underlying model for the IMTs the
        conditional models need; UnknownIMT if it does not define them."""
        ms = gmpe.get_mean_stds(ctx, self.required)
        return {str(imt): tuple(ms[:, k]) for k, imt in enumerate(self.required)}

    def compute_base(self, gmpe, base_ctx, imts, mean, sig, tau, phi) -> dict:
        """Fill the rows of the IMTs the underlying model defines; return the base
        predictions of the conditional models."""
        base = self.base_predictions(gmpe, base_ctx)
        own = [m for m, imt in enumerate(imts)
               if imt.name in gmpe.DEFINED_FOR_INTENSITY_MEASURE_TYPES]
        if own:
            ms = gmpe.get_mean_stds(base_ctx, [imts[m] for m in own])
            for k, m in enumerate(own):
                mean[m], sig[m], tau[m], phi[m] = ms[:, k]
        return base

    def apply(self, ctx, imts, base, mean, sig, tau, phi) -> None:
        """Overwrite the rows of the IMTs having a conditional model."""
        for m, imt in enumerate(imts):
            model = self.models.get(str(imt))
            if model is not None:
                out = model.compute_conditional(ctx, base)
                mean[m], sig[m], tau[m], phi[m] = (np.broadcast_to(x, mean[m].shape)
                                                   for x in out)
