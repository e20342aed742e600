"""The CEUS 2020 site amplification relative to very hard rock, for ModifiableGMPE's
``ceus2020_site_term``.

Stewart, J. P., Parker, G. A., Atkinson, G. M., Boore, D. M., Hashash, Y. M. A. and
Silva, W. J. (2020). Ergodic site amplification model for central and eastern North
America. Earthquake Spectra, 36(1), 42-68. Hashash, Y. M. A. et al. (2020). Nonlinear
site amplification model for ergodic seismic hazard analysis in central and eastern North
America. Earthquake Spectra, 36(1), 69-86.

ln amplification = F_lin + F_nl, with

* F_lin = F_v + F_760 (Stewart et al. 2020): F_760 = w_imp f760i + (1 - w_imp) f760g
  (eq. 5) with the impedance weight ``wimp`` given (0: the gradient model, 1: the
  impedance model), from the paper's F_760 table or, with ``usgs``, from the smoothed
  NGA-East table the USGS uses; F_v of eq. 3, defined for
  200 <= Vs30 <= 3000 m/s. Above 3000 m/s F_v is 0, as in OpenQuake 3.26.2 (so the
  amplification jumps back to F_760 there).
* F_nl (Hashash et al. 2020, eqs. 2-3) driven by the peak ground acceleration on hard
  rock PGA_r (g): the underlying model's PGA at Vs30 = ``ref_vs30``; a PGA at 760 m/s is
  turned into one on hard rock by dividing it by 2.275. Vref is 760 m/s below 0.4 s
  (PGA and PGV included) and ``ref_vs30`` from 0.4 s on.

The equations are those of the NGA-East site model (:mod:`oqcore.hazard.gsim.nga_east`);
the coefficient tables are the 2020 papers' own (more periods, the 0.1 s F_760 not
smoothed, a PGA row of the non-linear model distinct from its 0.01 s row).
"""
from __future__ import annotations

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import nga_east as ne
from oqcore.hazard.gsim.base import coeffs_table
from oqcore.hazard.imt import IMT

#: the reference vs30 values (m/s) of the PGA driving the non-linear term
HARD_ROCK, ROCK = 3000.0, 760.0
#: ratio of the PGA at 760 m/s to the PGA on hard rock (Hashash et al. 2020)
PGA_760_OVER_3000 = 2.275
#: lowest vs30 (m/s) of the linear model
VS30_MIN = 200.0
#: tolerance (m/s) on ``ref_vs30``
REF_TOL = 0.1


class Coeffs:
    """The coefficient tables of the 2020 papers (read on first use)."""
    #: Stewart et al. (2020): c, v1, v2, vf and the stddevs of F_v
    LINEAR = coeffs_table(__file__, "ceus2020_site", "STEWART_2020_LINEAR.csv")
    #: Stewart et al. (2020): F_760 of the impedance and gradient models, stddevs
    F760 = coeffs_table(__file__, "ceus2020_site", "STEWART_2020_F760.csv")
    #: Hashash et al. (2020): f3, f4, f5, Vc, sigma_c
    NONLINEAR = coeffs_table(__file__, "ceus2020_site", "HASHASH_2020_NONLINEAR.csv")


def check_arguments(wimp: float, ref_vs30: float, usgs: bool = False) -> None:
    """Raise InvalidInput unless 0 <= wimp <= 1 and ref_vs30 is 760 or 3000 m/s."""
    if not 0.0 <= wimp <= 1.0:
        raise InvalidInput("ModifiableGMPE ceus2020_site_term.wimp must be in 0-1 (the "
                           "weight of the impedance model), got %s" % wimp)
    if min(abs(ref_vs30 - HARD_ROCK), abs(ref_vs30 - ROCK)) > REF_TOL:
        raise InvalidInput("ModifiableGMPE ceus2020_site_term.ref_vs30 must be 760 or "
                           "3000 (m/s), got %s" % ref_vs30)


def linear_term(imt: IMT, vs30: np.ndarray, wimp: float, usgs: bool = False) -> np.ndarray:
    """F_lin = F_v + F_760 (ln units, (N,)) at ``vs30`` (N,) m/s."""
    low = vs30 < VS30_MIN
    if np.any(low):
        raise InvalidInput("the CEUS 2020 site term (Stewart et al. 2020) is defined for "
                           "vs30 >= %g m/s; got vs30 = %g" % (VS30_MIN, np.min(vs30)))
    f_760 = ne.f760_mix((ne.Coeffs.F760 if usgs else Coeffs.F760)[imt], wimp)
    fv = ne.vs30_scaling(Coeffs.LINEAR[imt], vs30, f_760)
    return np.where(vs30 > ne.V_HARD, 0.0, fv) + f_760


def nonlinear_term(imt: IMT, vs30: np.ndarray, ref_pga: np.ndarray, ref_vs30: float
                   ) -> np.ndarray:
    """F_nl (ln units, (N,)) at ``vs30`` (N,) for the PGA ``ref_pga`` (N,) g at
    ``ref_vs30`` m/s."""
    hard = abs(ref_vs30 - HARD_ROCK) <= REF_TOL
    pga_r = ref_pga if hard else ref_pga / PGA_760_OVER_3000
    period = imt.period if imt.name == "SA" else 0.0
    vref = ROCK if period < 0.4 else ref_vs30
    return ne.nonlinear_term(Coeffs.NONLINEAR[imt], vs30, pga_r, vref)


def ceus2020_site_term(ctx, imt: IMT, ln_rock: np.ndarray, wimp: float, ref_vs30: float,
                       usgs: bool, ref_pga: np.ndarray) -> np.ndarray:
    """The CEUS 2020 amplification (ln units, (N,)) at the sites' vs30, ``ref_pga`` (N,)
    being the underlying model's PGA (g) at vs30 = ``ref_vs30``."""
    vs30 = np.asarray(ctx.vs30, float)
    return linear_term(imt, vs30, wimp, usgs) + nonlinear_term(imt, vs30, ref_pga, ref_vs30)
