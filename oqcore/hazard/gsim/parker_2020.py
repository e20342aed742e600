"""Parker et al. (2020/2022), the NGA-Subduction model of the PEER report.

Parker, G. A., Stewart, J. P., Boore, D. M., Atkinson, G. M. and Hassani, B. (2022).
NGA-Subduction global ground motion models with regional adjustment factors.
Earthquake Spectra, 38(1), 456-493 (PEER report 2020/03).

Natural logarithm of the median (g for PGA and SA, cm/s for PGV)::

    ln Y = c0 + Fp(rrup, M) + Fm(M) + Fd(Zhyp) [slab] + Flin(vs30) + Fnl(vs30, PGAr)
           + Fb(z2.5) [Japan and Cascadia]

    Fp = c1 ln R + b4 M ln(R / Rref) + a0 R,  R = sqrt(rrup² + h²), Rref = sqrt(1 + h²)
    Fm = c4 (M - Mb) + c5 (M - Mb)²  for M <= Mb,  c6 (M - Mb) above

with h = 10^(-0.82 + 0.252 M) km for interface events; for intraslab events h = 35 km
above Mb and log10 h falls linearly to log10(3.12) at M 4. PGAr is the PGA on reference
rock (the same sum without site and basin terms). The aleatory variability is
heteroscedastic in rrup and vs30 (eqs. 13-14).

Regional versions take the regional constant c0 (chosen by the magnitude-saturation
region), the anelastic coefficient a0, the site slopes s1/s2 and the magnitude break
Mb. The basin term follows OpenQuake 3.26.2, which compares z2.5 in km with a
reference depth in metres (see :func:`basin_term`).
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import (
    GMPE, INTER_EVENT, INTRA_EVENT, TOTAL, alias, check_choice, check_flag, check_number,
    coeffs_table)
from oqcore.hazard.gsim.nga_sub_adjustments import AK23_BIAS_ADJ, usgs_basin_factor
from oqcore.hazard.imt import PGA, IMT

#: regions with coefficients of their own (None: global model)
REGIONS = (None, "AK", "CAM", "Cascadia", "JP", "SA", "TW")
#: magnitude-saturation regions (they choose c0 and Mb)
SATURATION_REGIONS = (None, "Aleutian", "CAM_N", "CAM_S", "SA_N", "SA_S", "TW_E", "TW_W",
                      "JP_Pac", "JP_Phi")
#: Cascadia basin classes: "out" of the mapped basins, or the Seattle basin
BASINS = (None, "out", "Seattle")
#: magnitude breaks Mb by (saturation) region, with the global default
MB_SINTER = {"Aleutian": 8.0, "AK": 8.6, "Cascadia": 7.7, "CAM_S": 7.4, "CAM_N": 7.4,
             "JP_Pac": 8.5, "JP_Phi": 7.7, "SA_N": 8.5, "SA_S": 8.6, "TW_W": 7.1,
             "TW_E": 7.1, None: 7.9}
MB_SSLAB = {"Aleutian": 7.98, "AK": 7.2, "Cascadia": 7.2, "CAM_S": 7.6, "CAM_N": 7.4,
            "JP_Pac": 7.65, "JP_Phi": 7.55, "SA_N": 7.3, "SA_S": 7.25, "TW_W": 7.7,
            "TW_E": 7.7, None: 7.6}
#: magnitude scaling of the geometric spreading
B4 = 0.1
#: site term: V1, Vref (m/s); non-linear term: f3 (g), Vb and its reference (m/s)
V1, VREF, F3, VB, VREF_NL = 270.0, 760.0, 0.05, 200.0, 760.0
#: no non-linear site term for SA at or beyond this period (s)
NL_TMAX = 3.0
#: intraslab finite-fault term: h at and above Mb, and at M 4 (km)
H_SLAB_MAX, H_SLAB_M4 = 35.0, 3.12
#: intraslab depth term: the hypocentral depth is floored here (km)
SLAB_DEPTH_MIN = 20.0
#: rrup (km) and vs30 (m/s) bounds of the heteroscedastic within-event variance
R1, R2, VS1, VS2 = 200.0, 500.0, 200.0, 500.0
#: z2.5 reference model by basin region: ln z = ln10 [lo + (hi - lo)(1 - Φ((log10 vs30 - μ)/σ))]
Z25_REF = {"Cascadia": (3.1, 3.94, 2.30103, 0.2), "JP": (1.45, 3.05, 2.69897, 0.33)}
#: basin coefficient prefix by region
BASIN_PREFIX = {"Cascadia": "C_", "JP": "J_"}
#: USGS M9 basin amplification: sites at least this deep (z2.5, see basin_term) ...
M9_ZMIN = 6.0
#: ... get ln 2 minus the basin term, for SA periods from this one (s)
M9_TMIN = 1.9
#: depth (m) where the M9 basin adjustment is zero
M9_ZREF = 1279.0


def z25_reference(region: str, vs30: np.ndarray) -> np.ndarray:
    """Reference z2.5 (m) of the Parker et al. basin model from vs30 (m/s), shape (N,)."""
    lo, hi, mu, sd = Z25_REF[region]
    return np.exp(math.log(10.0) * (lo + (hi - lo) * ndtr((mu - np.log10(vs30)) / sd)))


def basin_term(e1, e2, e3, delta):
    """Fb: e1 up to δ = e1/e3, then e3 δ, capped at e2 from δ = e2/e3 (eq. 11)."""
    return np.where(delta <= e1 / e3, e1, np.where(delta <= e2 / e3, e3 * delta, e2))


class ParkerEtAl2020SInter(GMPE):
    """Parker et al. (2022) for subduction interface events.

    Arguments (the TOML form of a GSIM logic tree):

    * ``region``: "AK", "CAM", "Cascadia", "JP", "SA" or "TW" (default: global);
    * ``saturation_region``: "Aleutian", "CAM_N", "CAM_S", "JP_Pac", "JP_Phi", "SA_N",
      "SA_S", "TW_E", "TW_W" (default: the region); chooses c0 and Mb;
    * ``basin``: "out" or "Seattle" (Cascadia only): adds del_None / del_Seattle to e2, e3;
    * ``m9_basin_term``, ``usgs_basin_scaling``: USGS basin adjustments (Cascadia, with
      the z2.5-requiring ``...B`` class);
    * ``sigma_mu_epsilon``: ε times the epistemic σ of the region, added to the ln-mean;
    * ``ak23_bias_adj``: the Alaska 2023 bias (global interface model only).
    """

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction Interface"
    DEFINED_FOR_INTENSITY_MEASURE_TYPES = frozenset(["PGA", "PGV", "SA"])
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    DEFINED_FOR_STANDARD_DEVIATION_TYPES = frozenset([TOTAL, INTER_EVENT, INTRA_EVENT])
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag"])
    REQUIRES_DISTANCES = frozenset(["rrup"])

    ARGUMENTS = {"region": None, "saturation_region": None, "basin": None,
                 "m9_basin_term": False, "usgs_basin_scaling": False,
                 "sigma_mu_epsilon": 0.0, "ak23_bias_adj": False}

    COEFFS = coeffs_table(__file__, "parker_2020", "COEFFS.csv")
    AK23_BIAS_ADJ = AK23_BIAS_ADJ
    #: coefficient-name suffix of the event type ("" interface, "slab" intraslab)
    SUFFIX = ""
    MB = MB_SINTER
    #: column group of the epistemic-uncertainty table
    EPI_TYPE = "interface"
    #: no non-linear site term for SA at or beyond this period (s)
    NL_TMAX = NL_TMAX

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        check_choice(name, "region", self.region, REGIONS)
        check_choice(name, "saturation_region", self.saturation_region, SATURATION_REGIONS)
        check_choice(name, "basin", self.basin, BASINS)
        for flag in ("m9_basin_term", "usgs_basin_scaling", "ak23_bias_adj"):
            check_flag(name, flag, getattr(self, flag))
        check_number(name, "sigma_mu_epsilon", self.sigma_mu_epsilon)
        if self.basin is not None and self.region != "Cascadia":
            raise InvalidInput('%s: basin = %r needs region = "Cascadia"' % (name, self.basin))
        for flag in ("m9_basin_term", "usgs_basin_scaling"):
            if getattr(self, flag) and (self.region != "Cascadia"
                                        or "z2pt5" not in self.REQUIRES_SITES_PARAMETERS):
                raise InvalidInput('%s: %s needs region = "Cascadia" and a model requiring '
                                   'z2pt5 (%sB)' % (name, flag, name.rstrip("B")))
        if self.ak23_bias_adj and (self.SUFFIX or self.region is not None):
            raise InvalidInput("%s: ak23_bias_adj applies only to the global interface "
                               "model (no region)" % name)
        self.sat_key = self.saturation_region or self.region
        self.c0_name = self._c0_column()
        self.mb = self.MB.get(self.sat_key, self.MB[None])
        if self.sigma_mu_epsilon:
            self.epi = self._epistemic_row()

    # ------------------------------------------------------------- coefficients
    def _c0_column(self) -> str:
        names = self.COEFFS.names
        base = "c0" + self.SUFFIX
        if self.sat_key is None:
            return base
        for key in (self.saturation_region, self.region):
            if key is not None and "%s_%s" % (key, base) in names:
                return "%s_%s" % (key, base)
        raise InvalidInput("%s: region = %r has no constant of its own: give its "
                           "saturation_region (one of %s)" % (
                               type(self).__name__, self.region, ", ".join(
                                   s for s in SATURATION_REGIONS
                                   if s and s.startswith(str(self.region)[:2]))))

    def _regional(self, C, name: str) -> float:
        """The regional column ``<region>_<name>`` if the table has one, else ``name``."""
        key = "%s_%s" % (self.region, name)
        return C[key] if self.region and key in C.dtype.names else C[name]

    def _site_slopes(self, C):
        """(s1, s2) of the linear site term; s1 = s2 unless the region has its own s1."""
        s2 = self._regional(C, "s2")
        key = "%s_s1" % self.region
        return (C[key] if self.region and key in C.dtype.names else s2), s2

    def _epistemic_row(self):
        import csv
        from oqcore.hazard.gsim.base import data_path
        key = "Global" if self.sat_key is None else (
            "Taiwan" if self.sat_key in ("TW", "TW_E", "TW_W") else self.sat_key)
        with open(data_path(__file__, "parker_2020", "EPI_ADJS.csv"), newline="") as f:
            rows = {r["Region"]: r for r in csv.DictReader(f)}
        if key not in rows:
            raise InvalidInput("%s: sigma_mu_epsilon needs a saturation_region for "
                               "region = %r (the epistemic table has rows %s)" % (
                                   type(self).__name__, self.region, ", ".join(rows)))
        row = rows[key]
        return tuple(float(row["%s_%s" % (col, self.EPI_TYPE)])
                     for col in ("SigEp1", "SigEp2", "T1", "T2"))

    def _sigma_epistemic(self, imt: IMT) -> float:
        """σ_epi (ln units): SigEp1 up to T1, SigEp2 from T2, linear in ln T between;
        PGA and PGV take the short-period value."""
        sig1, sig2, t1, t2 = self.epi
        period = imt.period if imt.name == "SA" else 0.0
        if period <= t1:
            return sig1
        if period > t2:
            return sig2
        return sig1 + (sig2 - sig1) * math.log(period / t1) / math.log(t2 / t1)

    # ------------------------------------------------------------------ terms
    def _h(self, mag):
        """Finite-fault term h (km), shape (N,)."""
        return 10.0 ** (-0.82 + 0.252 * mag)

    def _source_path(self, C, ctx):
        """c0 + Fp + Fm (+ Fd for slab): ln Y on reference rock, shape (N,)."""
        sfx = self.SUFFIX
        mag = ctx.mag
        h = self._h(mag)
        r = np.sqrt(ctx.rrup ** 2 + h ** 2)
        a0 = C["a0"] if (not sfx and self.region == "Cascadia") else self._regional(
            C, "a0" + sfx)
        path = (C["c1" + sfx] * np.log(r) + B4 * mag * np.log(r / np.sqrt(1.0 + h ** 2))
                + a0 * r)
        dm = mag - self.mb
        fmag = np.where(dm <= 0.0, C["c4" + sfx] * dm + C["c5" + sfx] * dm ** 2,
                        C["c6" + sfx] * dm)
        return C[self.c0_name] + path + fmag

    def _site_term(self, C, imt, vs30, pga_rock):
        """Flin + Fnl (eqs. 8-10), shape (N,)."""
        s1, s2 = self._site_slopes(C)
        v2 = C["V2"]
        flin = np.where(vs30 <= V1, s1 * np.log(vs30 / V1) + s2 * math.log(V1 / VREF),
                        s2 * np.log(np.minimum(vs30, v2) / VREF))
        if imt.name == "SA" and imt.period >= self.NL_TMAX:
            return flin
        f2 = C["f4"] * (np.exp(C["f5"] * (np.minimum(vs30, VREF_NL) - VB))
                        - math.exp(C["f5"] * (VREF_NL - VB)))
        return flin + f2 * np.log((pga_rock + F3) / F3)

    def _basin(self, C, imt, ctx):
        """Fb (N,), or None where the model has no basin term for this context.

        As in OpenQuake 3.26.2, δz2.5 = ln(z2.5 [km]) - ln(zref [m]), so every known depth
        falls on the lower branch; an unknown depth (-999) takes the reference (δ = 0).
        """
        if self.region not in BASIN_PREFIX or "z2pt5" not in ctx.dtype.names:
            return None
        pre = BASIN_PREFIX[self.region]
        e1, e2, e3 = C[pre + "e1"], C[pre + "e2"], C[pre + "e3"]
        if self.basin is not None:
            delta_e = C["del_None" if self.basin == "out" else "del_Seattle"]
            e2, e3 = e2 + delta_e, e3 + delta_e
        zref = z25_reference(self.region, ctx.vs30)
        z = np.where(ctx.z2pt5 == -999.0, zref, ctx.z2pt5)
        with np.errstate(divide="ignore"):
            fb = basin_term(e1, e2, e3, np.log(z) - np.log(zref))
            if self.m9_basin_term and imt.name == "SA" and imt.period >= M9_TMIN:
                adj = np.clip(e3 * np.log(z * 1000.0 / M9_ZREF), e1, e2)
                fb = np.where(z >= M9_ZMIN, math.log(2.0) - adj, fb)
        if self.usgs_basin_scaling:
            fb = fb * usgs_basin_factor(imt, ctx.z2pt5)
        return fb

    def _path_adjustment(self, imt, ctx):
        """An extra path term of variants (ln units); none here."""
        return 0.0

    def _stddevs(self, C, ctx, imt=None, pga_rock=None):
        """(total, tau, phi), each (N,): phi² grows with rrup and, on soft sites, with
        the distance-dependent phi2V term (variances in the table). ``imt`` and
        ``pga_rock`` (g) serve variants with a non-linear sigma."""
        rrup = np.clip(ctx.rrup, R1, R2)
        lr = math.log(R2 / R1)
        phi2 = C["phi21"] + (C["phi22"] - C["phi21"]) * np.log(rrup / R1) / lr
        vfac = np.clip(np.log(VS2 / ctx.vs30) / math.log(VS2 / VS1), 0.0, 1.0)
        phi2 = phi2 + C["phi2V"] * np.log(R2 / rrup) / lr * vfac
        tau = C["Tau"]
        return np.sqrt(tau ** 2 + phi2), np.full_like(phi2, tau), np.sqrt(phi2)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        pga_rock = np.exp(self._source_path(self.COEFFS[PGA], ctx)
                          + self._path_adjustment(PGA, ctx))
        for m, imt in enumerate(imts):
            C = self.COEFFS[imt]
            mean[m] = (self._source_path(C, ctx) + self._path_adjustment(imt, ctx)
                       + self._site_term(C, imt, ctx.vs30, pga_rock))
            fb = self._basin(C, imt, ctx)
            if fb is not None:
                mean[m] += fb
            if self.sigma_mu_epsilon:
                mean[m] += self.sigma_mu_epsilon * self._sigma_epistemic(imt)
            if self.ak23_bias_adj:
                mean[m] += self.AK23_BIAS_ADJ[imt]["bias_adj"]
            sig[m], tau[m], phi[m] = self._stddevs(C, ctx, imt, pga_rock)


class ParkerEtAl2020SSlab(ParkerEtAl2020SInter):
    """Parker et al. (2022) for intraslab events: slab coefficients, h from Mb and a
    hypocentral-depth term."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Subduction IntraSlab"
    REQUIRES_RUPTURE_PARAMETERS = frozenset(["mag", "hypo_depth"])
    SUFFIX = "slab"
    MB = MB_SSLAB
    EPI_TYPE = "intraslab"

    def _h(self, mag):
        """h = 35 km from Mb up; below, log10 h linear in M down to 3.12 km at M 4."""
        slope = (math.log10(H_SLAB_MAX) - math.log10(H_SLAB_M4)) / (self.mb - 4.0)
        log_h = math.log10(H_SLAB_MAX) + slope * (mag - self.mb)
        return np.where(mag > self.mb, H_SLAB_MAX, 10.0 ** log_h)

    def _source_path(self, C, ctx):
        """Interface form with slab coefficients plus Fd (eq. 6): d from depth db down,
        m (Zhyp - db) + d above it, with Zhyp floored at 20 km."""
        depth = np.maximum(ctx.hypo_depth, SLAB_DEPTH_MIN)
        fd = np.where(depth >= C["db"], C["d"], C["m"] * (depth - C["db"]) + C["d"])
        return super()._source_path(C, ctx) + fd


class ParkerEtAl2020SInterB(ParkerEtAl2020SInter):
    """:class:`ParkerEtAl2020SInter` requiring z2.5 (km), so that the Japan and
    Cascadia basin terms always apply."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5"])


class ParkerEtAl2020SSlabB(ParkerEtAl2020SSlab):
    """:class:`ParkerEtAl2020SSlab` requiring z2.5 (km), so that the Japan and
    Cascadia basin terms always apply."""

    REQUIRES_SITES_PARAMETERS = frozenset(["vs30", "z2pt5"])


#: the names OpenQuake gives to the usual regional settings: alias -> (class suffix,
#: arguments); "B" aliases use the z2.5-requiring class
ALIASES = {
    "Aleutian": ("", dict(region="AK", saturation_region="Aleutian")),
    "Alaska": ("", dict(region="AK")),
    "CAMN": ("", dict(region="CAM", saturation_region="CAM_N")),
    "CAMS": ("", dict(region="CAM", saturation_region="CAM_S")),
    "SAN": ("", dict(region="SA", saturation_region="SA_N")),
    "SAS": ("", dict(region="SA", saturation_region="SA_S")),
    "TaiwanE": ("", dict(region="TW", saturation_region="TW_E")),
    "TaiwanW": ("", dict(region="TW", saturation_region="TW_W")),
    "Cascadia": ("B", dict(region="Cascadia")),
    "CascadiaOut": ("B", dict(region="Cascadia", basin="out")),
    "CascadiaSeattle": ("B", dict(region="Cascadia", basin="Seattle")),
    "JapanPac": ("B", dict(region="JP", saturation_region="JP_Pac")),
    "JapanPhi": ("B", dict(region="JP", saturation_region="JP_Phi")),
}
for _event in ("SInter", "SSlab"):
    for _suffix, (_b, _kwargs) in ALIASES.items():
        _name = "ParkerEtAl2020%s%s" % (_event, _suffix)
        globals()[_name] = alias(_name, globals()["ParkerEtAl2020%s%s" % (_event, _b)],
                                 __name__, **_kwargs)
del _event, _suffix, _b, _kwargs, _name
