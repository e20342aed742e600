"""Kuehn et al. (2020): the partially non-ergodic NGA-Subduction model, interface and
intraslab events, global and eight regions.

Kuehn, N., Bozorgnia, Y., Campbell, K. W. and Gregor, N. (2020). Partially non-ergodic
ground-motion model for subduction regions using the NGA-Subduction database. PEER
Report 2020/04, Pacific Earthquake Engineering Research Center.

ln of the median (g; cm/s for PGV), eq. 4.1::

    c1,reg + f_mag + (c2 + c3 M) ln(rrup + 10^(cnft1 + cnft2 (M - 6))) + c6,reg rrup
    + f_ztor + f_site + f_basin

* f_mag (eq. 4.4) and f_ztor (eq. 4.7) are logistic hinges
  a + b0 (x - x0) + (b1 - b0) δ ln(1 + exp((x - x0) / δ)): in M about the magnitude break
  Mb (slopes c4, c5, δ = 0.1; Mb + dm_b for interface events in Japan and South
  America) and in ztor about zb + dz_b (slopes c9, 0; δ = 1; zb 30 km interface,
  80 km slab; centred on 15 and 50 km);
* f_site (eq. 4.8): c7 ln(vs30/k1) + k2 n ln(vs30/k1) above k1, else the nonlinear
  k2 [ln(PGA1100 + c (vs30/k1)^n) - ln(PGA1100 + c)] with c = 1.88, n = 1.18 and PGA1100
  the median PGA on vs30 = 1100 m/s;
* f_basin (eq. 4.10): c11 + c12 (ln z - ln zref(vs30)) in Cascadia and Japan (z = z2.5,
  m) and New Zealand and Taiwan (z = z1.0, m), the constant θ11 in the Seattle basin;
  unknown depths (-999) take the reference depth of eq. 4.11.

The anelastic term uses the single coefficient c6,2 in every region (the forearc/backarc
split of three regions needs path lengths no calculator provides). Short periods (T <=
0.1 s) are not allowed below PGA.

Arguments: ``region`` (GLO, USA-AK, CAS, CAM, JPN, NZL, SAM, TWN, SEA), ``m_b`` (the
magnitude break, else the region's), ``sigma_mu_epsilon`` (the number of within-model
epistemic standard deviations σμ(M, rrup, T) of chapter 6 added to the mean, σμ
interpolated in tables per region), ``m9_basin_term`` and ``usgs_basin_scaling`` (the
USGS adjustments, Cascadia and Seattle only), ``ak23_bias_adj`` (the Alaska 2023 bias,
global interface model only) and ``ak23_cb14_sig`` (the Campbell-Bozorgnia 2014
nonlinear sigma with the model's coefficients).

``NZNSHM2022_KuehnEtAl2020SInter/SSlab``: the New Zealand 2022 model's form (Bradley et
al. 2022): the BC Hydro backarc term for slab events, a basin term without depth
scaling for New Zealand, and optionally (``modified_sigma``) the nonlinear sigma of
Abrahamson and Gülerce (2020).
"""
from __future__ import annotations

import math

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, alias, check_choice, check_flag, check_number,
    coeffs_table, data_path)
from oqcore.hazard.gsim.nga_sub_adjustments import AK23_BIAS_ADJ, usgs_basin_factor
from oqcore.hazard.imt import PGA

#: region -> (interface c1, slab c1, c6, c7, interface Mb, slab Mb, basin coefficients
#: c11, c12 or the Seattle θ11, file suffix of the σμ tables)
REGIONS = {
    "GLO": ("mu_c_1_if", "mu_c_1_slab", "mu_c_6", "mu_c_7", 7.9, 7.6, None, "Global"),
    "USA-AK": ("c_1_if_reg_Al", "c_1_slab_reg_Al", "c_6_2_reg_Al", "c_7_reg_Al", 8.6, 7.2,
               None, "Alaska"),
    "CAS": ("c_1_if_reg_Ca", "c_1_slab_reg_Ca", "c_6_2_reg_Ca", "c_7_reg_Ca", 8.0, 7.2,
            ("c_11_Ca", "c_12_Ca"), "Cascadia"),
    "CAM": ("c_1_if_reg_CAM", "c_1_slab_reg_CAM", "c_6_2_reg_CAM", "c_7_reg_CAM", 7.5, 7.4,
            None, "CentralAmericaMexico"),
    "JPN": ("c_1_if_reg_Ja", "c_1_slab_reg_Ja", "c_6_2_reg_Ja", "c_7_reg_Ja", 8.5, 7.6,
            ("c_11_Ja", "c_12_Ja"), "Japan"),
    "NZL": ("c_1_if_reg_NZ", "c_1_slab_reg_NZ", "c_6_2_reg_NZ", "c_7_reg_NZ", 8.3, 7.6,
            ("c_11_NZ", "c_12_NZ"), "NewZealand"),
    "SAM": ("c_1_if_reg_SA", "c_1_slab_reg_SA", "c_6_2_reg_SA", "c_7_reg_SA", 8.6, 7.3,
            None, "SouthAmerica"),
    "TWN": ("c_1_if_reg_Tw", "c_1_slab_reg_Tw", "c_6_2_reg_Tw", "c_7_reg_Tw", 7.1, 7.7,
            ("c_11_Tw", "c_12_Tw"), "Taiwan"),
    "SEA": ("c_1_if_reg_Ca", "c_1_slab_reg_Ca", "c_6_2_reg_Ca", "c_7_reg_Ca", 8.0, 7.2,
            ("theta_11_Sea",), "Cascadia"),
}
#: the region names of the aliases (KuehnEtAl2020SInterJapan, ...)
REGION_ALIASES = {"USA-AK": "Alaska", "CAS": "Cascadia", "CAM": "CentralAmericaMexico",
                  "JPN": "Japan", "NZL": "NewZealand", "SAM": "SouthAmerica",
                  "TWN": "Taiwan", "SEA": "CascadiaSeattleBasin"}
#: reference-depth model (eq. 4.11): ln zref = cz1 + (cz2 - cz1) logistic((ln vs30 - cz3)
#: / cz4), depths in m; Cascadia's serves the Seattle basin
Z_REF = {"CAS": (8.294049640102028, 2.302585092994046, 6.396929655216146,
                 0.27081458999999997),
         "JPN": (7.689368537500001, 2.302585092994046, 6.309186400000001,
                 0.7528670225000001),
         "NZL": (6.859789675000001, 2.302585092994046, 5.745692775, 0.91563524375),
         "TWN": (6.30560665, 2.302585092994046, 6.1104992125, 0.43671101999999995)}
#: constants c, n of the site term, the hinge widths, Mref and the ztor hinge
#: constants (reference and break depths, km)
C_SITE, N_SITE, DELTA_M, DELTA_Z, M_REF = 1.88, 1.18, 0.1, 1.0, 6.0
Z_REF_DEPTH = {"interface": 15.0, "slab": 50.0}
Z_BREAK = {"interface": 30.0, "slab": 80.0}
#: the site-amplification sigma removed from phi in the nonlinear sigma models
PHI_AMP = 0.3
#: the M9 basin adjustment: ln 2 at periods from 1.9 s on sites with z2.5 from 6 km
M9_MIN_PERIOD, M9_MIN_Z25 = 1.9, 6.0


def log_hinge(x, x0, a, b0, b1, delta):
    """a + b0 (x - x0) + (b1 - b0) δ ln(1 + exp((x - x0)/δ)) (eq. 4.3)."""
    dx = np.asarray(x - x0, np.float64)
    return a + b0 * dx + (b1 - b0) * delta * np.log(1.0 + np.exp(dx / delta))


def ln_z_reference(region: str, vs30: np.ndarray) -> np.ndarray:
    """ln of the reference basin depth (m) of a region for vs30 (eq. 4.11)."""
    cz1, cz2, cz3, cz4 = Z_REF[region]
    e = np.exp((np.log(vs30) - cz3) / cz4)
    return cz1 + (cz2 - cz1) * e / (1.0 + e)


def site_term(C, c7: float, vs30: np.ndarray, pga1100: np.ndarray) -> np.ndarray:
    """The shallow site term f_site (eq. 4.8)."""
    v = vs30 / C["k1"]
    linear = c7 * np.log(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        nonlin = C["k2"] * (np.log(pga1100 + C_SITE * v ** N_SITE) - np.log(pga1100 + C_SITE))
    return linear + np.where(vs30 > C["k1"], C["k2"] * N_SITE * np.log(v), nonlin)


def nonlinear_alpha(C, vs30, pga1100) -> np.ndarray:
    """∂ f_site / ∂ ln PGA1100 (0 above k1)."""
    v = vs30 / C["k1"]
    with np.errstate(invalid="ignore", divide="ignore"):
        a = C["k2"] * pga1100 * (1.0 / (pga1100 + C_SITE * v ** N_SITE)
                                 - 1.0 / (pga1100 + C_SITE))
    return np.where(vs30 < C["k1"], a, 0.0)


class SigmaMuTable:
    """The within-model epistemic standard deviation σμ(M, rrup[, T]) of a region,
    interpolated linearly in M, rrup and ln T and held constant outside the tables."""

    def __init__(self, path: str):
        import h5py
        with h5py.File(path, "r") as f:
            mags, dists, periods = f["M"][:], f["R"][:], f["T"][:]
            im, ir, it = np.argsort(mags), np.argsort(dists), np.argsort(periods)
            self.mags, self.dists, self.periods = mags[im], dists[ir], periods[it]
            self.tables = {"PGA": f["PGA"][:][im][:, ir], "PGV": f["PGV"][:][im][:, ir],
                           "SA": f["SA"][:][im][:, ir][:, :, it]}

    def __call__(self, imt, mag: np.ndarray, rrup: np.ndarray) -> np.ndarray:
        """σμ (N,) of the contexts."""
        from scipy.interpolate import RegularGridInterpolator
        name = imt.name if imt.name in ("PGA", "PGV") else "SA"
        table = self.tables[name]
        axes, points = [], [mag, rrup]
        for k, (axis, values) in enumerate(((self.mags, mag), (self.dists, rrup))):
            axis, table = _extend(axis, values, table, k)
            axes.append(axis)
        if name == "SA":
            axis, table = _extend(self.periods, np.array([imt.period]), table, 2)
            axes.append(np.log(axis))
            points.append(np.full(len(mag), math.log(imt.period)))
        interp = RegularGridInterpolator(tuple(axes), table, bounds_error=False,
                                         fill_value=None)
        return interp(np.stack(points, axis=1))


def _extend(axis: np.ndarray, values: np.ndarray, table: np.ndarray, k: int) -> tuple:
    """Extend a grid axis (and dimension k of the table, by its edge slice) to the
    values' maximum and minimum when they lie outside it: the table is then held
    constant there."""
    if np.any(values > axis[-1]):
        axis = np.concatenate([axis, [values.max()]])
        table = np.concatenate([table, np.take(table, [-1], axis=k)], axis=k)
    if np.any(values < axis[0]):
        axis = np.concatenate([[values.min()], axis])
        table = np.concatenate([np.take(table, [0], axis=k), table], axis=k)
    return axis, table


class KuehnEtAl2020SInter(GMPE):
    """Kuehn et al. (2020) for interface events (see the module docstring)."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    DEFINED_FOR_REFERENCE_VELOCITY = 1100.0
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "ztor"])
    REQUIRES_DISTANCES = frozenset(["rrup"])
    ARGUMENTS = {"region": "GLO", "m_b": None, "m9_basin_term": False,
                 "usgs_basin_scaling": False, "sigma_mu_epsilon": 0.0,
                 "ak23_bias_adj": False, "ak23_cb14_sig": False}

    COEFFS = coeffs_table(__file__, "kuehn_2020", "coeffs.csv")
    AK23_BIAS = AK23_BIAS_ADJ
    #: 'interface' or 'slab'
    EVENT = "interface"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "region", self.region, list(REGIONS))
        if self.m_b is not None:
            check_number(name, "m_b", self.m_b)
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        for flag in ("m9_basin_term", "usgs_basin_scaling", "ak23_bias_adj",
                     "ak23_cb14_sig"):
            if getattr(self, flag) is None:
                setattr(self, flag, False)
            check_flag(name, flag, getattr(self, flag))
        if (self.m9_basin_term or self.usgs_basin_scaling) and self.region not in (
                "CAS", "SEA"):
            raise InvalidInput("%s: m9_basin_term and usgs_basin_scaling need region "
                               "CAS or SEA, not %s" % (name, self.region))
        if self.ak23_bias_adj and (self.EVENT != "interface" or self.region != "GLO"):
            raise InvalidInput("%s: ak23_bias_adj applies to the global interface model "
                               "only" % name)
        if self.region in ("CAS", "JPN", "SEA"):
            self.REQUIRES_SITES_PARAMETERS = self.REQUIRES_SITES_PARAMETERS | {"z2pt5"}
        elif self.region in ("NZL", "TWN"):
            self.REQUIRES_SITES_PARAMETERS = self.REQUIRES_SITES_PARAMETERS | {"z1pt0"}
        self.sigma_mu = None
        if self.sigma_mu_epsilon:
            prefix = "if" if self.EVENT == "interface" else "slab"
            self.sigma_mu = SigmaMuTable(data_path(
                __file__, "kuehn_2020", "%s_%s.hdf5" % (prefix, REGIONS[self.region][7])))

    # ----------------------------------------------------------------- terms
    @property
    def magnitude_break(self) -> float:
        """Mb: the argument, else the region's."""
        if self.m_b:
            return self.m_b
        return REGIONS[self.region][4 if self.EVENT == "interface" else 5]

    def source_path(self, C, ctx, m_break: float) -> np.ndarray:
        """Constant, magnitude, geometric and anelastic attenuation and ztor terms."""
        slab = self.EVENT == "slab"
        reg = REGIONS[self.region]
        mag, rrup = ctx.mag, ctx.rrup
        c4 = C["c_4_slab"] if slab else C["c_4_if"]
        f_mag = log_hinge(mag, m_break, c4 * (m_break - M_REF), c4, C["c_5"], DELTA_M)
        h = 10.0 ** (C["c_nft_1"] + C["c_nft_2"] * (mag - 6.0))
        c2 = C["c_2_slab"] if slab else C["c_2_if"]
        c9, dz = (C["c_9_slab"], C["dz_b_slab"]) if slab else (C["c_9_if"], C["dz_b_if"])
        z_break = Z_BREAK[self.EVENT] + dz
        f_z = log_hinge(ctx.ztor, z_break, c9 * (z_break - Z_REF_DEPTH[self.EVENT]), c9,
                        0.0, DELTA_Z)
        return (C[reg[1] if slab else reg[0]] + f_mag + (c2 + C["c_3"] * mag)
                * np.log(rrup + h) + C[reg[2]] * rrup + f_z)

    def basin_depths(self, ctx) -> np.ndarray:
        """The basin depths the region's term reads: z2.5 (CAS, JPN; km turned into m;
        unknown ones the reference, in m), z1.0 (NZL, TWN; m). The Seattle basin keeps
        known z2.5 in km next to inferred ones in m, as OpenQuake 3.26.2 does."""
        region = self.region
        z = (ctx.z2pt5 if region in ("CAS", "JPN", "SEA") else ctx.z1pt0).astype(float)
        unknown = z == -999
        known_scale = 1000.0 if region in ("CAS", "JPN") else 1.0
        ref_region = "CAS" if region == "SEA" else region
        return np.where(unknown, np.exp(ln_z_reference(ref_region, ctx.vs30)),
                        z * known_scale)

    def basin_term(self, C, ctx, imt) -> np.ndarray | float:
        """f_basin (eq. 4.10) with the USGS adjustments."""
        region = self.region
        coeffs = REGIONS[region][6]
        z = self.basin_depths(ctx)
        if region == "SEA":
            term = np.full(len(ctx), C[coeffs[0]])
        else:
            positive = z > 0.0
            if not positive.any():
                return 0.0
            with np.errstate(divide="ignore", invalid="ignore"):
                term = np.where(positive, C[coeffs[0]] + C[coeffs[1]] * (
                    np.log(z) - ln_z_reference(region, ctx.vs30)), 0.0)
        if self.m9_basin_term and imt.name != "PGV" and imt.period >= M9_MIN_PERIOD:
            term = np.where(z / 1000.0 >= M9_MIN_Z25, math.log(2.0), term)
        if self.usgs_basin_scaling:
            factor = (np.zeros(len(ctx)) if imt.name == "PGV"
                      else usgs_basin_factor(imt, z / 1000.0))
            term = term * factor
        return term

    def ln_mean(self, C, ctx, imt, m_break, pga1100) -> np.ndarray:
        """ln median on the sites (with the basin term where the region has one)."""
        c7 = C[REGIONS[self.region][3]]
        out = self.source_path(C, ctx, m_break) + site_term(C, c7, ctx.vs30, pga1100)
        if REGIONS[self.region][6] is not None and pga1100.any():
            out = out + self.basin_term(C, ctx, imt)
        return out

    def pga_rock(self, ctx, m_b) -> np.ndarray:
        """Median PGA (g) on vs30 = 1100 m/s, no basin term."""
        C = self.COEFFS[PGA]
        vs_ref = np.full(len(ctx), 1100.0)
        c7 = C[REGIONS[self.region][3]]
        return np.exp(self.source_path(C, ctx, m_b)
                      + site_term(C, c7, vs_ref, np.zeros(len(ctx))))

    def compute(self, ctx, imts, mean, sig, tau, phi):
        m_b = self.magnitude_break
        C_PGA = self.COEFFS[PGA]
        pga1100 = self.pga_rock(ctx, m_b)
        pga_soil = None
        if any(imt.name == "PGA" or (imt.name == "SA" and imt.period <= 0.1)
               for imt in imts):
            pga_soil = self.ln_mean(C_PGA, ctx, PGA, m_b, pga1100)
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            m_break = m_b
            if self.EVENT == "interface" and self.region in ("JPN", "SAM"):
                m_break = m_b + C["dm_b"]
            if imt.name == "PGA":
                mean[m] = pga_soil
            else:
                mean[m] = self.ln_mean(C, ctx, imt, m_break, pga1100)
                if imt.name == "SA" and imt.period <= 0.1:
                    mean[m] = np.maximum(mean[m], pga_soil)
            if self.ak23_bias_adj:
                mean[m] += self.AK23_BIAS[imt]["bias_adj"]
            if self.sigma_mu is not None:
                mean[m] += self.sigma_mu_epsilon * self.sigma_mu(imt, ctx.mag, ctx.rrup)
            self.stddevs(C, C_PGA, ctx, imt, pga1100, m, sig, tau, phi)

    def stddevs(self, C, C_PGA, ctx, imt, pga1100, m, sig, tau, phi):
        """Fill sig[m], tau[m], phi[m]: the model's, or the CB14 nonlinear form."""
        if not self.ak23_cb14_sig:
            tau[m], phi[m] = C["tau"], C["phi"]
        else:
            a = nonlinear_alpha(C, ctx.vs30, pga1100)
            t_y, t_pga, rho = C["tau"], C_PGA["tau"], C["rho"]
            tau[m] = np.sqrt((a * t_pga) ** 2 + t_y ** 2 + 2.0 * a * rho * t_y * t_pga)
            phi_b = math.sqrt(C["phi"] ** 2 - PHI_AMP ** 2)
            a_phi_pga = a * math.sqrt(C_PGA["phi"] ** 2 - PHI_AMP ** 2)
            phi[m] = np.sqrt(C["phi"] ** 2 + a_phi_pga ** 2 + 2.0 * rho * phi_b * a_phi_pga)
        sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class KuehnEtAl2020SSlab(KuehnEtAl2020SInter):
    """Kuehn et al. (2020) for intraslab events."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    EVENT = "slab"


for _code, _name in REGION_ALIASES.items():
    for _base in (KuehnEtAl2020SInter, KuehnEtAl2020SSlab):
        _alias = _base.__name__ + _name
        globals()[_alias] = alias(_alias, _base, __name__, region=_code)


# --------------------------------------------------------- New Zealand 2022
def _read_columns(name: str) -> dict:
    """The columns of a small numeric CSV of data/kuehn_2020 as arrays."""
    import csv
    with open(data_path(__file__, "kuehn_2020", name), newline="") as f:
        rows = list(csv.reader(f))
    return {h: np.array([float(r[i]) for r in rows[1:]]) for i, h in enumerate(rows[0])}


class NZNSHM2022_KuehnEtAl2020SInter(KuehnEtAl2020SInter):
    """Kuehn et al. (2020) in the New Zealand 2022 model (see the module docstring).

    Arguments: region, m_b, sigma_mu_epsilon, modified_sigma (the nonlinear sigma).
    The New Zealand basin term is c11 wherever z1.0 is known and positive (no depth
    scaling); as in OpenQuake 3.26.2 the basin and backarc terms enter PGA1100 too.
    """

    ARGUMENTS = {"region": "GLO", "m_b": None, "sigma_mu_epsilon": 0.0,
                 "modified_sigma": False}
    m9_basin_term = usgs_basin_scaling = ak23_bias_adj = ak23_cb14_sig = False
    #: the BC Hydro backarc factor of the NZ model (intraslab only) and its minimum
    #: distance (km)
    BACKARC_FACTOR, BACKARC_MIN_RRUP = 1.008, 85.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # the NZ logic trees write the flag as a string ("true")
        if isinstance(self.modified_sigma, str) and self.modified_sigma.lower() in (
                "true", "false"):
            self.modified_sigma = self.modified_sigma.lower() == "true"
        check_flag(type(self).__name__, "modified_sigma", self.modified_sigma)
        if self.region == "NZL":
            self.REQUIRES_SITES_PARAMETERS = type(self).REQUIRES_SITES_PARAMETERS

    def basin_term(self, C, ctx, imt):
        region = self.region
        if region == "NZL":
            return 0.0  # no depth, so no term (z1.0 is not read)
        z = (ctx.z2pt5 if region in ("CAS", "JPN") else ctx.z1pt0).astype(float)
        if region in ("CAS", "JPN"):
            z = np.where(z == -999, np.exp(ln_z_reference(region, ctx.vs30)), z * 1000.0)
        else:
            z = np.where(z == -999, np.exp(ln_z_reference(region, ctx.vs30)), z)
        positive = z > 0.0
        if not positive.any():
            return 0.0
        c11, c12 = (C[c] for c in REGIONS[region][6])
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(positive, c11 + c12 * (np.log(z) - ln_z_reference(
                region, ctx.vs30)), 0.0)

    def backarc_term(self, imt, ctx):
        """The BC Hydro (Abrahamson et al. 2016) backarc term of intraslab events."""
        return 0.0

    def extra_terms(self, C, ctx, imt):
        """Basin and backarc terms (ln)."""
        extra = self.backarc_term(imt, ctx)
        if self.region in ("CAS", "JPN", "NZL", "TWN"):
            extra = extra + self.basin_term(C, ctx, imt)
        return extra

    def pga_rock(self, ctx, m_b):
        C = self.COEFFS[PGA]
        c7 = C[REGIONS[self.region][3]]
        vs_ref = np.full(len(ctx), 1100.0)
        return np.exp(self.source_path(C, ctx, m_b)
                      + site_term(C, c7, vs_ref, np.zeros(len(ctx)))
                      + self.extra_terms(C, ctx, PGA))

    def ln_mean(self, C, ctx, imt, m_break, pga1100):
        return self.nz_mean(C, ctx, imt, m_break, pga1100)

    def stddevs(self, C, C_PGA, ctx, imt, pga1100, m, sig, tau, phi):
        if self.modified_sigma:
            self.nonlinear_stddevs(C, C_PGA, ctx, imt, pga1100, m, sig, tau, phi)
        else:
            tau[m], phi[m] = C["tau"], C["phi"]
            sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)

    def nz_mean(self, C, ctx, imt, m_break, pga1100):
        """ln median with the NZ basin and backarc terms."""
        c7 = C[REGIONS[self.region][3]]
        out = self.source_path(C, ctx, m_break) + site_term(C, c7, ctx.vs30, pga1100)
        basin = self.region in ("CAS", "JPN", "NZL", "TWN") and pga1100.any()
        return out + (self.basin_term(C, ctx, imt) if basin else 0.0) \
            + self.backarc_term(imt, ctx)

    def nonlinear_stddevs(self, C, C_PGA, ctx, imt, pga1100, m, sig, tau, phi):
        """The Abrahamson and Gülerce (2020) nonlinear tau and phi for vs30 <= k1."""
        period = imt.period if imt.name == "SA" else 0.0
        if period < 0.01:
            rho_w = rho_b = 1.0
        else:
            t = _read_columns("nz_rho.csv")
            lp = np.log(t["period"])
            rho_w = float(np.interp(math.log(period), lp, t["rho_W"]))
            rho_b = float(np.interp(math.log(period), lp, t["rho_B"]))
        soft = ctx.vs30 <= C["k1"]
        v = ctx.vs30 / C["k1"]
        with np.errstate(invalid="ignore", divide="ignore"):
            dfs = C["k2"] * pga1100 * (-1.0 / (pga1100 + C_SITE)
                                       + 1.0 / (pga1100 + C_SITE * v ** N_SITE))
        phi_b = math.sqrt(C["phi"] ** 2 - PHI_AMP ** 2)
        phi_b_pga = math.sqrt(C_PGA["phi"] ** 2 - PHI_AMP ** 2)
        tau_nl = np.sqrt(C["tau"] ** 2 + dfs ** 2 * C_PGA["tau"] ** 2
                         + 2.0 * dfs * C_PGA["tau"] * C["tau"] * rho_b)
        phi_nl = np.sqrt(C["phi"] ** 2 + dfs ** 2 * phi_b_pga ** 2
                         + 2.0 * dfs * phi_b_pga * phi_b * rho_w)
        tau[m] = np.where(soft, tau_nl, C["tau"])
        phi[m] = np.where(soft, phi_nl, C["phi"])
        sig[m] = np.sqrt(tau[m] ** 2 + phi[m] ** 2)


class NZNSHM2022_KuehnEtAl2020SSlab(NZNSHM2022_KuehnEtAl2020SInter):
    """The New Zealand 2022 form of the intraslab model, with the backarc term."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "backarc"])
    EVENT = "slab"

    def backarc_term(self, imt, ctx):
        period = imt.period if imt.name == "SA" else 0.0
        if period < 0.02:
            theta7, theta8 = 1.0988, -1.42
        else:
            t = _read_columns("nz_backarc.csv")
            lp = np.log(t["period"][1:])
            theta7 = float(np.interp(math.log(period), lp, t["theta7"][1:]))
            theta8 = float(np.interp(math.log(period), lp, t["theta8"][1:]))
        backarc = ctx.backarc.astype(bool)
        rrup = np.maximum(ctx.rrup, self.BACKARC_MIN_RRUP)
        return np.where(backarc, theta7 + theta8 * np.log(rrup / 40.0), 0.0) \
            * self.BACKARC_FACTOR
