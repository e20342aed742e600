"""Montalva, Bastías and Rodriguez-Marek (2017), the BC Hydro form refitted to Chile.

Montalva, G. A., Bastías, N. and Rodriguez-Marek, A. (2017). Ground-motion prediction
equation for the Chilean subduction zone. Bulletin of the Seismological Society of
America, 107(2), 901-911.

The functional form is that of Abrahamson et al. (2016) (see
:mod:`oqcore.hazard.gsim.abrahamson_2015`) with three changes: θ3, θ4 and θ5 are
period-dependent regression coefficients, the magnitude reference C1 is 7.2 (for the
hinge C1 + ΔC1 and for the magnitude-dependent spreading θ3 (M - C1)), and there is
no (10 - M)² term (θ13 = 0 in the table).
"""
from __future__ import annotations

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.abrahamson_2015 import (
    AbrahamsonEtAl2015SInter, AbrahamsonEtAl2015SSlab, _dist_term, _mag_term)
from oqcore.hazard.gsim.base import coeffs_table

#: magnitude reference of the Chilean fit (Mw)
C1_CHILE = 7.2
#: the regression coefficients, shared by the interface and intraslab models
COEFFS = coeffs_table(__file__, "montalva_2017", "COEFFS.csv")


class _MontalvaTerms:
    """Magnitude and distance terms with the period-dependent θ3, θ4, θ5."""

    abstract = True
    #: magnitude reference C1 of the hinge and of the magnitude-dependent spreading
    C1 = C1_CHILE

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.ergodic:
            raise InvalidInput("%s: ergodic = false is not available: the model has no "
                               "single-station sigma" % type(self).__name__)

    def _mag_dist(self, C, t, dc1, theta14=0.0):
        """θ1 + θ4 ΔC1 + fmag(M) and the distance term, centred on C1."""
        return (_mag_term(C, dc1, t, C["theta4"], C["theta5"], self.C1)
                + _dist_term(C, t, theta14, C["theta3"], self.C1, self.theta6_adjustment))


class MontalvaEtAl2017SInter(_MontalvaTerms, AbrahamsonEtAl2015SInter):
    """Montalva et al. (2017) for subduction interface events (rrup)."""

    abstract = False
    COEFFS = COEFFS
    COEFFS_MAG_SCALE = coeffs_table(__file__, "montalva_2017", "COEFFS_MAG_SCALE.csv")


class MontalvaEtAl2017SSlab(_MontalvaTerms, AbrahamsonEtAl2015SSlab):
    """Montalva et al. (2017) for intraslab events (rhypo, ΔC1 = -0.3, depth term)."""

    abstract = False
    COEFFS = COEFFS
