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

Subclasses of :class:`ConditionalGMPE` also stand alone when given the conditioning
model as their ``gmpe`` argument::

    [MacedoEtAl2019SInter]
    gmpe.KuehnEtAl2020SInter = {}
    region = "South America"
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import site_terms
from oqcore.hazard.gsim.base import GMPE
from oqcore.hazard.imt import IMT


class ConditionalGMPE(GMPE):
    """Base of the conditional models: ``compute_conditional`` from the conditioning
    model's predictions; with the argument ``gmpe`` ({Name = {arguments}}) the model
    computes those predictions itself and can be used on its own."""

    abstract = True
    CONDITIONAL = True
    COMPOSITE = True
    #: the IMTs the model is conditioned on
    REQUIRES_IMTS: tuple = ()

    def __init__(self, resolve=None, **kwargs):
        spec = kwargs.pop("gmpe", None)
        super().__init__(**kwargs)
        #: the conditioning model, or None (inside ModifiableGMPE.conditional_gmpe)
        self.base_gmpe = None
        if spec is not None:
            name = type(self).__name__
            self.base_gmpe = site_terms.nested_model(name, "gmpe", spec, resolve)
            for imt in self.REQUIRES_IMTS:
                if imt.name not in self.base_gmpe.DEFINED_FOR_INTENSITY_MEASURE_TYPES:
                    raise InvalidInput("%s: its gmpe %s does not give %s" % (
                        name, type(self.base_gmpe).__name__, imt))
            self.kwargs = {"gmpe": spec, **self.kwargs}
            base = self.base_gmpe
            self.REQUIRES_SITES_PARAMETERS = (type(self).REQUIRES_SITES_PARAMETERS
                                              | base.REQUIRES_SITES_PARAMETERS)
            self.REQUIRES_RUPTURE_PARAMETERS = (type(self).REQUIRES_RUPTURE_PARAMETERS
                                                | base.REQUIRES_RUPTURE_PARAMETERS)
            self.REQUIRES_DISTANCES = (type(self).REQUIRES_DISTANCES
                                       | base.REQUIRES_DISTANCES)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        if self.base_gmpe is None:
            raise InvalidInput("%s is a conditional model: give it its conditioning model "
                               "(gmpe.Name = {}) or use it in ModifiableGMPE's "
                               "conditional_gmpe" % type(self).__name__)
        ms = self.base_gmpe.get_mean_stds(ctx, list(self.REQUIRES_IMTS))
        base = {str(imt): tuple(ms[:, k]) for k, imt in enumerate(self.REQUIRES_IMTS)}
        out = self.compute_conditional(ctx, base)
        for m in range(len(imts)):
            mean[m], sig[m], tau[m], phi[m] = (np.broadcast_to(x, mean[m].shape)
                                               for x in out)

    def compute_conditional(self, ctx, base) -> tuple:
        """(mean, sig, tau, phi) of the model's IMT from ``base``, {IMT string:
        (mean, sig, tau, phi)} of the conditioning model."""
        raise NotImplementedError


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
