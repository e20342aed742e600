"""Montalva, Bastías and Rodriguez-Marek (2016): the pre-publication version of the
Chilean BC Hydro refit (:mod:`oqcore.hazard.gsim.montalva_2017`).

Montalva, G., Bastías, N. and Rodriguez-Marek, A. (2016). Ground motion prediction
equation for the Chilean subduction zone. Submitted to Seismological Research Letters;
published with revised coefficients as Montalva et al. (2017), BSSA 107(2), 901-911.

As the 2017 model (period-dependent θ3, θ4, θ5) but with the BC Hydro magnitude
reference C1 = 7.8, the (10 - M)² term (θ13) and ΔC1 of Abrahamson et al. (2016)
(the central interface table; -0.3 in-slab). Kept to reproduce hazard models built with
it; prefer the 2017 model.
"""
from __future__ import annotations

from oqcore.hazard.gsim.abrahamson_2015 import CONSTS
from oqcore.hazard.gsim.base import coeffs_table
from oqcore.hazard.gsim.montalva_2017 import MontalvaEtAl2017SInter, MontalvaEtAl2017SSlab


class MontalvaEtAl2016SInter(MontalvaEtAl2017SInter):
    """Montalva et al. (2016), subduction interface events (rrup)."""

    C1 = CONSTS["C1"]
    COEFFS = coeffs_table(__file__, "montalva_2016", "COEFFS_SINTER.csv")
    #: the central interface ΔC1 of Abrahamson et al. (2016)
    COEFFS_MAG_SCALE = coeffs_table(__file__, "abrahamson_2015", "COEFFS_MAG_SCALE.csv")


class MontalvaEtAl2016SSlab(MontalvaEtAl2017SSlab):
    """Montalva et al. (2016), intraslab events (rhypo, ΔC1 = -0.3, depth term)."""

    C1 = CONSTS["C1"]
    COEFFS = coeffs_table(__file__, "montalva_2016", "COEFFS_SSLAB.csv")
