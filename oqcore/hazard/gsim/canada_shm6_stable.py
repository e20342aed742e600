"""CanadaSHM6 models of stable crust: the Atkinson and Adams (2013) tables and the
NGA-East models.

Kolaj, M., Halchuk, S., Adams, J. and Allen, T. I. (2020). Sixth Generation Seismic
Hazard Model of Canada: input files to produce values proposed for the 2020 National
Building Code of Canada. GSC Open File 8630; Atkinson, G. M. and Adams, J. (2013),
Ground motion prediction equations for application to the 2015 Canadian national
seismic hazard maps, Can. J. Civ. Eng., 40, 988-998.

The eastern tables of AA13 (low, central and high branches, the ``submodel``) for site
class C (450 m/s) with the NBCC2015 site factors of
:class:`~oqcore.hazard.gsim.nbcc2015_aa13.NBCC2015_AA13`, SA limited to 0.05-10 s. The
PGV tables hold PGV times g: the median is divided by 9.81.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import boore_atkinson_2008 as ba08
from oqcore.hazard.gsim.atkinson_boore_2006 import AtkinsonBoore2006
from oqcore.hazard.gsim.base import GMPE, coeffs_table, data_path
from oqcore.hazard.gsim.canada_shm6 import Coeffs, check_imts
from oqcore.hazard.gsim.gmpe_table import magnitude_groups, read_packed_table, stddev_linear
from oqcore.hazard.gsim.nbcc2015_aa13 import NBCC2015_AA13
from oqcore.hazard.imt import PGA

AA13_TABLES = data_path(__file__, "canada_shm6", "aa13_tables.npz")
NGAE_TABLES = data_path(__file__, "canada_shm6", "ngaeast_tables.npz")
#: the g (m/s²) by which the PGV tables are scaled
PGV_TABLE_G = 9.81


class CanadaSHM6_StableCrust_AA13(NBCC2015_AA13):
    """AA13 eastern tables for CanadaSHM6; argument ``submodel``: low, central or
    high."""

    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal"
    ARGUMENTS = {"submodel": None}
    SUBMODELS = ("low", "central", "high")

    def __init__(self, **kwargs):
        GMPE.__init__(self, **kwargs)
        if self.submodel not in self.SUBMODELS:
            raise InvalidInput("%s needs the argument submodel, one of %s; got %r" % (
                type(self).__name__, ", ".join(self.SUBMODELS), self.submodel))
        self.gmpe_table = "ENA_%s_cl450" % self.submodel
        self.table = self.load_table()
        self.REQUIRES_DISTANCES = frozenset([self.table.metric])
        self.DEFINED_FOR_INTENSITY_MEASURE_TYPES = self.table.imt_names

    def load_table(self):
        return read_packed_table(AA13_TABLES, self.gmpe_table)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        check_imts(type(self).__name__, imts)
        super().compute(ctx, imts, mean, sig, tau, phi)
        for m, imt in enumerate(imts):
            if imt.name == "PGV":
                mean[m] -= math.log(PGV_TABLE_G)


# --------------------------------------------------------------------------- NGA-East
#: the g (cm/s²) by which the NGA-East PGV tables are scaled
PGV_NGAE_G = 980.665
#: the Atkinson and Adams (2013) 760-to-2000 m/s factor at short periods:
#: log10 F = -0.3 + 0.15 log10(repi); CanadaSHM6 takes ln F = -0.690775 + 0.15 ln(repi)
#: (ln 10^-0.3 to six decimals) for the site term and the exact form for the PGA
LOG10_F760_A, LN_F760_A, F760_SLOPE = -0.3, -0.690775, 0.15
#: Boore and Campbell (2017) 3000-to-2000 m/s factors: magnitudes of the table columns
BC17_MAGS = np.array([3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
#: rrup range (km) of the Boore and Campbell (2017) tables
BC17_RRUP = (2.0, 1200.0)
#: fixed hypocentral depth (km) of the rrup-to-repi conversion
REPI_DEPTH = 10.0


class NGAECoeffs:
    """Coefficient tables of the NGA-East site term (read on first use)."""
    BC17 = coeffs_table(__file__, "canada_shm6", "COEFFS_BC17.csv")
    HARMON_L1 = coeffs_table(__file__, "canada_shm6", "COEFFS_HARMON19_L1.csv")
    USGS_NL = coeffs_table(__file__, "canada_shm6", "COEFFS_USGS_CEUS_NL.csv")


@functools.lru_cache(maxsize=None)
def bc17_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(rrup (D,), factors (D, 6)) of the Boore and Campbell (2017) PGA or PGV table."""
    arr = np.loadtxt(data_path(__file__, "canada_shm6", "BC17_%s.csv" % name),
                     delimiter=",", skiprows=1)
    return arr[:, 0], arr[:, 1:]


def bc17_factor(imt, mag: float, rrup: np.ndarray) -> np.ndarray:
    """3000-to-2000 m/s factor of PGA or PGV (Boore and Campbell, 2017), linear in
    magnitude (clipped to 3-8) and in rrup (clipped to 2-1200 km)."""
    dists, table = bc17_table("PGV" if imt.name == "PGV" else "PGA")
    m = min(max(mag, BC17_MAGS[0]), BC17_MAGS[-1])
    column = np.array([np.interp(m, BC17_MAGS, row) for row in table])
    return np.interp(np.clip(rrup, *BC17_RRUP), dists, column)


def repi_from_rrup(mag: np.ndarray, rrup: np.ndarray) -> np.ndarray:
    """Epicentral distance (km) from rrup (Atkinson, 2012, white paper on GMPEs for the
    2015 national hazard maps): a rupture of width and length 0.6 times the median
    ones (10^(-1.01 + 0.32 M), 10^(-2.44 + 0.59 M)) centred at 10 km depth,
    ztor the deepest top of those ruptures; repi = sqrt(rrup² - ztor²) + 0.3 L."""
    width = 0.6 * 10.0 ** (-1.01 + 0.32 * mag)
    ztor = float(np.max(np.maximum(REPI_DEPTH - 0.5 * width, 0.0)))
    length = 0.6 * 10.0 ** (-2.44 + 0.59 * mag)
    r = np.where(rrup < ztor, ztor + 0.001, rrup)
    return np.sqrt(r ** 2 - ztor ** 2) + 0.3 * length


def _lerp(x, x0, x1, y0, y1):
    return y0 + (x - x0) * (y1 - y0) / (x1 - x0)


def site_model_b(imt, vs30, pga_rock, mag: float, rrup, repi) -> np.ndarray:
    """Model B of the CanadaSHM6 eastern site term (ln units, relative to 3000 m/s):
    Boore and Campbell (2017) from 3000 to 2000 m/s, the AA13 760-to-2000 factor
    (distance-dependent at PGA and SA below 0.025 s) from 2000 to 760 m/s, both
    interpolated in ln vs30, and below 760 m/s the Boore and Atkinson (2008) terms
    driven by the PGA turned from 3000 to 760 m/s."""
    period = imt.period if imt.name == "SA" else 0.0
    f2000 = (np.log(bc17_factor(imt, mag, rrup)) if imt.name != "SA"
             else np.log(NGAECoeffs.BC17[imt]["c"]))
    if imt.name != "PGV" and period < 0.025:
        f760 = LN_F760_A + F760_SLOPE * np.log(repi)
    else:
        f760 = np.log(Coeffs.AB06[imt]["c"])
    f2000 = np.broadcast_to(f2000, vs30.shape)
    f760 = np.broadcast_to(f760, vs30.shape)
    ln_vs = np.log(vs30)
    ln760, ln2000, ln3000 = np.log(760.0), np.log(2000.0), np.log(3000.0)
    pga760 = (pga_rock * bc17_factor(PGA, mag, rrup)
              * 10.0 ** (LOG10_F760_A + F760_SLOPE * np.log10(repi)))
    CS = AtkinsonBoore2006.COEFFS_SOIL_RESPONSE[imt]
    soft = f2000 + f760 + ba08.site_amplification(CS, vs30, pga760)
    return np.select(
        [vs30 <= 760.0, vs30 < 2000.0, vs30 == 2000.0, vs30 < 3000.0],
        [soft, _lerp(ln_vs, ln760, ln2000, f760 + f2000, f2000), f2000,
         _lerp(ln_vs, ln2000, ln3000, f2000, 0.0)], 0.0)


def site_model_h(imt, vs30, pga_rock) -> np.ndarray:
    """Model H (SA only, ln units, relative to 3000 m/s): the linear L1 model of Harmon
    et al. (2019) plus the non-linear term of the USGS 2018 CEUS model (Hashash et al.,
    2019), with reference velocity 3000 m/s from 0.4 s, 760 m/s below."""
    C = NGAECoeffs.HARMON_L1[imt]
    ln_c = np.log(vs30 / C["Vc"])
    ln_l = np.log(vs30 / C["VL"])
    lin = np.select([vs30 >= C["Vc"], vs30 > C["VL"]],
                    [0.0, C["c1"] * ln_c], C["c1"] * ln_c + C["c2"] * ln_l + C["c3"] * ln_l ** 2)
    N = NGAECoeffs.USGS_NL[imt]
    v_ref = 3000.0 if imt.period >= 0.4 else 760.0
    vs = np.minimum(vs30, v_ref)
    f2 = N["f4"] * (np.exp(N["f5"] * (vs - 360.0)) - np.exp(N["f5"] * (v_ref - 360.0)))
    nonlin = np.where(vs30 < N["Vc"], f2 * np.log((pga_rock + N["f3"]) / N["f3"]), 0.0)
    return lin + nonlin


class CanadaSHM6_StableCrust_NGAEast(CanadaSHM6_StableCrust_AA13):
    """The 13 NGA-East median models (Goulet et al., 2017, PEER 2017/03) as CanadaSHM6
    uses them: tables for 3000 m/s with the AA13 sigma, argument ``submodel`` "01" to
    "13"; site term the larger of models H and B for SA, model B for PGA and PGV
    (:func:`site_model_h`, :func:`site_model_b`)."""

    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    SUBMODELS = tuple("%02d" % i for i in range(1, 14))

    def __init__(self, **kwargs):
        if isinstance(kwargs.get("submodel"), int):  # submodel = 1 in TOML
            kwargs["submodel"] = "%02d" % kwargs["submodel"]
        super().__init__(**kwargs)

    def load_table(self):
        return read_packed_table(NGAE_TABLES, "SHM6-trial_NGA-East_Model_%s_AA13_sigma.vs3000"
                                 % self.submodel)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        check_imts(type(self).__name__, imts)
        dist = getattr(ctx, self.table.metric)
        for mag, idx in magnitude_groups(ctx.mag):
            d, vs30, mags = dist[idx], ctx.vs30[idx], ctx.mag[idx]
            table_d = self.table.distances_for(mag)
            pga_rock = self.table_medians(mag, d, PGA)
            repi = repi_from_rrup(mags, d)
            for m, imt in enumerate(imts):
                ln_y = np.log(self.table_medians(mag, d, imt))
                if imt.name == "PGV":
                    ln_y -= math.log(PGV_NGAE_G)
                site = site_model_b(imt, vs30, pga_rock, float(mags[0]), d, repi)
                if imt.name == "SA":
                    site = np.maximum(site, site_model_h(imt, vs30, pga_rock))
                mean[m, idx] = ln_y + site
                sig[m, idx] = stddev_linear(self.table.values(mag, imt, stddev=True), d,
                                            table_d)
