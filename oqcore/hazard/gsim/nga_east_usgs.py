"""The NGA-East models as the USGS uses them for the central and eastern US.

Petersen, M. D. et al. (2020). The 2018 update of the US National Seismic Hazard Model:
Overview of model and implications. Earthquake Spectra, 36(1), 5-41; and the 2023 update
(Petersen et al. 2024, Earthquake Spectra 40(1)).

Medians come from the USGS NGA-East tables (seed models and the 17 Sammons et al.
models) on very hard rock, interpolated log-log in rupture distance, plus the NGA-East
site amplification of :mod:`oqcore.hazard.gsim.nga_east`. With ``epistemic_site`` the
median is the 0.185 / 0.63 / 0.185 weighted mean of the motions at -1, 0, +1 standard
deviations of the amplification. Aleatory variability (``sigma_model``):

* EPRI: tau and phi of the updated EPRI (2013) model, linear in M between M5, M6, M7;
* PANEL: the USGS sigma panel's tau (hinges M4.5, 5, 5.5, 6.5) and phi_ss (M5 to
  M6.5), with the phi_s2ss of Stewart et al. (2019), linear in Vs30 from 1200 to
  1500 m/s;
* COLLAPSED (default): total sigma 0.8 sigma_EPRI + 0.2 sigma_PANEL.

US 2023 options: ``usgs_2023_bias_adj`` (the period-dependent bias adjustment of
Ramos-Sepulveda et al. 2023, with its Vs30 slope above 1000 m/s),
``coastal_plains_site_amp`` (the Atlantic and Gulf Coastal Plain amplification of
Chapman and Guo 2021: ln of the PSA ratio interpolated trilinearly in sediment depth
``z_sed`` (km), magnitude and rrup, minus the 1000 m/s NGA-East amplification scaled
by z_scale = (1 - exp(-z_sed / 2))^4) and ``z_sed_scaling`` (scale the bias adjustment
by 1 - z_scale; without it z_scale is 0). Both 2023 options switch the non-linear site
term to the average of f4 and the USGS alternative f4.
"""
from __future__ import annotations

import numpy as np

from oqcore.hazard.gsim import nga_east as ne
from oqcore.hazard.gsim.base import (
    INTER_EVENT, INTRA_EVENT, TOTAL, UnknownIMT, alias, check_choice, check_flag,
    coeffs_table, data_path)
from oqcore.hazard.gsim.gmpe_table import magnitude_groups, median_loglog

TABLES = data_path(__file__, "nga_east_usgs", "tables.npz")
CG21 = data_path(__file__, "nga_east_usgs", "chapman_guo_2021.npz")
#: weights of the -1, 0, +1 sigma site amplification branches
SITE_BRANCHES = (0.185, 0.63, 0.185)
#: weights of the EPRI and PANEL total sigmas in the COLLAPSED model
COLLAPSED_WEIGHTS = (0.8, 0.2)


class Coeffs:
    """Coefficient tables (read on first use)."""
    ADJ_2023 = coeffs_table(__file__, "nga_east_usgs", "COEFFS_USGS_2023_ADJ.csv")
    SIGMA_EPRI = coeffs_table(__file__, "nga_east_usgs", "COEFFS_USGS_SIGMA_EPRI.csv")
    SIGMA_PANEL = coeffs_table(__file__, "nga_east_usgs", "COEFFS_USGS_SIGMA_PANEL.csv")


def epri_tau_phi(imt, mag: float):
    """(tau, phi) of the updated EPRI (2013) model at magnitude ``mag``."""
    C = Coeffs.SIGMA_EPRI[imt]
    mags = (5.0, 6.0, 7.0)
    return (float(np.interp(mag, mags, [C["tau_M5"], C["tau_M6"], C["tau_M7"]])),
            float(np.interp(mag, mags, [C["phi_M5"], C["phi_M6"], C["phi_M7"]])))


def panel_tau_phi(imt, mag: float, vs30: np.ndarray):
    """(tau, phi (N,)) of the USGS sigma panel at magnitude ``mag``."""
    C = Coeffs.SIGMA_PANEL[imt]
    tau = float(np.interp(mag, (4.5, 5.0, 5.5, 6.5), [C["t1"], C["t2"], C["t3"], C["t4"]]))
    phi_ss = float(np.interp(mag, (5.0, 6.5), [C["ss_a"], C["ss_b"]]))
    return tau, np.sqrt(phi_ss ** 2 + stewart2019_phi_s2s(imt, vs30) ** 2)


def stewart2019_phi_s2s(imt, vs30: np.ndarray) -> np.ndarray:
    """Site-to-site phi_S2S (N,) of Stewart et al. (2019), as the USGS sigma panel
    tabulates it: s2s1 up to 1200 m/s, s2s2 above 1500 m/s, linear in vs30 between."""
    C = Coeffs.SIGMA_PANEL[imt]
    vs30 = np.asarray(vs30, float)
    return np.where(vs30 > 1500.0, C["s2s2"], np.where(
        vs30 > 1200.0, C["s2s1"] - (C["s2s1"] - C["s2s2"]) / 300.0 * (vs30 - 1200.0),
        C["s2s1"]))


def sediment_scale(z_sed: np.ndarray) -> np.ndarray:
    """z_scale = (1 - exp(-z_sed / 2))^4; 0 where z_sed is unknown (-999)."""
    z = np.where(z_sed == -999, 0.0, z_sed)
    return (1.0 - np.exp(-z / 2.0)) ** 4


class CoastalPlainRatios:
    """The PSA ratios of Chapman and Guo (2021) on their (z_sed, M, rrup) grid."""

    def __init__(self, path: str = CG21):
        with np.load(path) as npz:
            self.axes = (npz["zsed"], npz["mag"], npz["dist"])
            self.imts = [str(s) for s in npz["imts"]]
            self.ratios = npz["ratios"]

    def ln_ratio(self, imt, z_sed, mag, rrup) -> np.ndarray:
        """ln of the PSA ratio, trilinear on the grid (clamped at its edges); 0 where
        z_sed is unknown (-999)."""
        try:
            col = self.imts.index(str(imt))
        except ValueError:
            raise UnknownIMT("the Coastal Plain amplification of Chapman and Guo (2021) "
                             "has no ratio for %s" % imt) from None
        data = self.ratios[..., col]
        idx, frac = [], []
        for axis, x in zip(self.axes, (z_sed, mag, rrup)):
            x = np.clip(x, axis[0], axis[-1])
            i = np.clip(np.searchsorted(axis, x, "right") - 1, 0, len(axis) - 2)
            idx.append(i)
            frac.append(np.clip((x - axis[i]) / (axis[i + 1] - axis[i]), 0.0, 1.0))
        (i, j, k), (zf, mf, rf) = idx, frac

        def along_r(a, b):
            lo, hi = data[a, b, k], data[a, b, k + 1]
            return lo + rf * (hi - lo)

        def along_m(a):
            lo, hi = along_r(a, j), along_r(a, j + 1)
            return lo + mf * (hi - lo)

        lo, hi = along_m(i), along_m(i + 1)
        out = lo + zf * (hi - lo)
        return np.log(np.where(z_sed == -999, 1.0, out))


class NGAEastUSGSGMPE(ne.NGAEastGMPE):
    """USGS NGA-East model (``gmpe_table``: one of the shipped USGS tables)."""

    abstract = False
    ARGUMENTS = {"gmpe_table": None, "sigma_model": "COLLAPSED", "epistemic_site": True,
                 "usgs_2023_bias_adj": False, "coastal_plains_site_amp": False,
                 "z_sed_scaling": False}
    TABLES = TABLES
    median_at = staticmethod(median_loglog)
    _coastal: CoastalPlainRatios | None = None
    #: no epsilon on the site amplification (its uncertainty is collapsed instead)
    site_epsilon = None

    def setup_sigma(self) -> None:
        name = type(self).__name__
        check_choice(name, "sigma_model", self.sigma_model, ["EPRI", "PANEL", "COLLAPSED"])
        for flag in ("epistemic_site", "usgs_2023_bias_adj", "coastal_plains_site_amp",
                     "z_sed_scaling"):
            check_flag(name, flag, getattr(self, flag))
        self.site_epsilon = None
        if self.sigma_model == "COLLAPSED":
            self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL])
        else:
            self.DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset(
                [TOTAL, INTER_EVENT, INTRA_EVENT])
        if self.z_sed_scaling or self.coastal_plains_site_amp:
            self.REQUIRES_SITES_PARAMETERS = self.REQUIRES_SITES_PARAMETERS | {"z_sed"}

    @classmethod
    def coastal_ratios(cls) -> CoastalPlainRatios:
        """The Chapman and Guo (2021) ratios (read once per process)."""
        if NGAEastUSGSGMPE._coastal is None:
            NGAEastUSGSGMPE._coastal = CoastalPlainRatios()
        return NGAEastUSGSGMPE._coastal

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = getattr(ctx, self.table.metric)
        us23 = self.usgs_2023_bias_adj or self.coastal_plains_site_amp
        for mag, idx in magnitude_groups(ctx.mag):
            d, vs30 = dist[idx], ctx.vs30[idx]
            z_sed = ctx.z_sed[idx] if "z_sed" in self.REQUIRES_SITES_PARAMETERS else None
            z_scale = (sediment_scale(z_sed) if self.z_sed_scaling
                       else np.zeros(len(idx)))
            for m, imt in enumerate(imts):
                adj = self.bias_adjustment(imt, vs30, z_scale) if self.usgs_2023_bias_adj \
                    else None
                ln_pga, ln_y = self.rock_means(mag, d, imt, adj)
                pga_rock = np.exp(ln_pga)
                ln_y = ln_y + ne.site_amplification(imt, vs30, pga_rock, us23)
                coastal = 0.0
                if self.coastal_plains_site_amp:
                    f_cpa = self.coastal_ratios().ln_ratio(imt, z_sed, ctx.mag[idx],
                                                           ctx.rrup[idx])
                    amp_1000 = ne.site_amplification(imt, np.full_like(vs30, 1000.0),
                                                     pga_rock)
                    coastal = f_cpa - amp_1000 * z_scale
                if self.epistemic_site:
                    s = ne.amplification_stddev(imt, vs30, ne.rock_factor(imt, pga_rock))
                    w_lo, w_mid, w_hi = SITE_BRANCHES
                    ln_y = np.log(w_lo * np.exp(ln_y - s) + w_mid * np.exp(ln_y)
                                  + w_hi * np.exp(ln_y + s))
                mean[m, idx] = ln_y + coastal
                self.set_usgs_stddevs(imt, mag, vs30, idx, m, sig, tau, phi)

    def bias_adjustment(self, imt, vs30, z_scale):
        """The US 2023 bias adjustment (ln units) scaled by 1 - z_scale."""
        C = Coeffs.ADJ_2023[imt]
        slope = np.where(vs30 > 1000.0, C["vs30_b"] * np.log(np.minimum(vs30, 2000.0)
                                                            / 1000.0), 0.0)
        return (1.0 - z_scale) * (C["nga_adj"] + slope)

    def set_usgs_stddevs(self, imt, mag, vs30, idx, m, sig, tau, phi):
        """Fill total, inter- and intra-event stddevs of the contexts ``idx``."""
        if self.sigma_model in ("EPRI", "COLLAPSED"):
            t_e, p_e = epri_tau_phi(imt, mag)
        if self.sigma_model in ("PANEL", "COLLAPSED"):
            t_p, p_p = panel_tau_phi(imt, mag, vs30)
        if self.sigma_model == "EPRI":
            tau[m, idx], phi[m, idx] = t_e, p_e
            sig[m, idx] = np.sqrt(t_e ** 2 + p_e ** 2)
        elif self.sigma_model == "PANEL":
            tau[m, idx], phi[m, idx] = t_p, p_p
            sig[m, idx] = np.sqrt(t_p ** 2 + p_p ** 2)
        else:
            w_e, w_p = COLLAPSED_WEIGHTS
            sig[m, idx] = w_e * np.sqrt(t_e ** 2 + p_e ** 2) + w_p * np.sqrt(
                t_p ** 2 + p_p ** 2)


#: alias name -> table key (nga_east_<key>.hdf5)
_SEEDS = ["SP15", "1CCSP", "2CVSP", "1CVSP", "2CCSP", "Graizer", "B_ab95", "B_bca10d",
          "B_sgd02", "B_a04", "B_bs11", "B_ab14", "HA15", "PEER_EX", "PEER_GP", "Graizer16",
          "Graizer17", "Frankel", "YA15", "PZCT15_M1SS", "PZCT15_M2ES"]
_ALIASES = {"NGAEastUSGSSeed" + k: k for k in _SEEDS}
_ALIASES.update({"NGAEastUSGSSammons%d" % i: "usgs_%d" % i for i in range(1, 18)})
for _name, _key in _ALIASES.items():
    globals()[_name] = alias(_name, NGAEastUSGSGMPE, __name__,
                             gmpe_table="nga_east_%s.hdf5" % _key)

