"""Terms shared by the models of the 2022 New Zealand National Seismic Hazard Model
(Bradley et al., 2023, BSSA; GNS Science Report 2022/46).

* the backarc term of intraslab events: the BC Hydro term (Abrahamson et al., 2016)
  scaled by 1.008, 1.008 (θ7 + θ8 ln(max(rrup, 85) / 40)) at backarc sites, θ7 and θ8
  interpolated in ln T (the PGA values below 0.02 s);
* the "modified sigma": the non-linear site response propagated into tau and phi as
  Abrahamson and Gülerce (2020) do (phi_amp = 0.3, their correlations rhoW and rhoB).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from oqcore.hazard.gsim.base import data_path

#: scale of the backarc term and the smallest rrup (km) of its distance scaling
BACKARC_FACTOR, BACKARC_RMIN, BACKARC_RREF = 1.008, 85.0, 40.0
#: below this period (s) the PGA coefficients of the backarc term apply
PGA_PERIOD = 0.02
#: site-response variability of the modified sigma
PHI_AMP = 0.3


@functools.lru_cache(maxsize=None)
def _table(name: str) -> np.ndarray:
    return np.loadtxt(data_path(__file__, "nz_nshm2022", name), delimiter=",", skiprows=1)


def backarc_coefficients(imt) -> tuple[float, float]:
    """(θ7, θ8) of the BC Hydro backarc term for ``imt`` (PGA, SA)."""
    table = _table("BACKARC_BCHYDRO.csv")
    period = imt.period if imt.name == "SA" else 0.0
    if period < PGA_PERIOD:
        return float(table[0, 1]), float(table[0, 2])
    x = np.log(table[1:, 0])
    return (float(np.interp(math.log(period), x, table[1:, 1])),
            float(np.interp(math.log(period), x, table[1:, 2])))


def backarc_term(imt, ctx) -> np.ndarray:
    """The backarc term (ln units, (N,)); 0 at forearc sites."""
    theta7, theta8 = backarc_coefficients(imt)
    term = theta7 + theta8 * np.log(np.maximum(ctx.rrup, BACKARC_RMIN) / BACKARC_RREF)
    return np.where(np.asarray(ctx.backarc, bool), BACKARC_FACTOR * term, 0.0)


def ag20_correlations(period: float) -> tuple[float, float]:
    """(rhoW, rhoB) of Abrahamson and Gülerce (2020), 1 below 0.01 s."""
    if period < 0.01:
        return 1.0, 1.0
    t = _table("AG20_RHO.csv")
    x = np.log(t[:, 0])
    return (float(np.interp(math.log(period), x, t[:, 1])),
            float(np.interp(math.log(period), x, t[:, 2])))


def nonlinear_stddevs(imt, tau_lin, tau_pga, phi_lin, phi_pga, deriv):
    """(total, tau, phi) with the site non-linearity: ``deriv`` (N,) the derivative of
    the site term with respect to ln PGA on rock; tau/phi of the IMT and of PGA
    (linear site response)."""
    rho_w, rho_b = ag20_correlations(imt.period if imt.name == "SA" else 0.0)
    phi_b = np.sqrt(phi_lin ** 2 - PHI_AMP ** 2)
    phi_b_pga = np.sqrt(phi_pga ** 2 - PHI_AMP ** 2)
    phi2 = phi_lin ** 2 + deriv ** 2 * phi_b_pga ** 2 + 2 * deriv * phi_b_pga * phi_b * rho_w
    tau2 = tau_lin ** 2 + deriv ** 2 * tau_pga ** 2 + 2 * deriv * tau_pga * tau_lin * rho_b
    return np.sqrt(tau2 + phi2), np.sqrt(tau2), np.sqrt(phi2)
