"""Baumont et al. (2018): intensity attenuation models calibrated in Mw for
metropolitan France.

Baumont, D., Manchuel, K., Traversa, P., Durouchoux, C., Nayman, E. and Ameri, G.
(2018). Intensity predictive attenuation models calibrated in Mw for metropolitan
France. Bulletin of Earthquake Engineering, 16, 2285-2310.

I = c1 + c2 M + beta log10(Rhypo) + gamma Rhypo (page 2293); the "mean" is the intensity
itself. BaumontEtAl2018High2210IAVGDC30n7 is model [2.2.1.0] of Table 1 (geometrical
spreading and regional intrinsic attenuation, Q-regions of France and Italy, free depth,
IDP <= VII), high attenuation, minimum Dc 30 km, at least 7 intensity classes, IAVG
metric; its error has between-event (0.373) and within-event (0.227) terms, of which
only the total is defined.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim.base import IntensityModel, coeffs_table


class BaumontEtAl2018High2210IAVGDC30n7(IntensityModel):
    """Baumont et al. (2018) model [2.2.1.0], high attenuation, Dc >= 30 km, 7 classes,
    IAVG."""

    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rhypo"])

    COEFFS = coeffs_table(__file__, "baumont_2018", "high_2210_iavg_dc30_n7.csv")

    def compute(self, ctx, imts, mean, sig, tau, phi):
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (C["c1"] + C["c2"] * ctx.mag + C["beta"] * np.log10(ctx.rhypo)
                       + C["gamma"] * ctx.rhypo)
            sig[m] = np.sqrt(C["be"] ** 2 + C["we"] ** 2)
