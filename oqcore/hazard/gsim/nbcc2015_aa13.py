"""Atkinson and Adams (2013) tables of the 2015 National Building Code of Canada.

Atkinson, G. M. and Adams, J. (2013). Ground motion prediction equations for application
to the 2015 Canadian national seismic hazard maps. Canadian Journal of Civil Engineering,
40, 988-998, with the modifications made for NBCC2015.

The tables give medians and total sigmas for site class C (Vs30 = 450 m/s). Other
site conditions use a continuous version of the NBCC2015 site coefficients F(T),
relative to 450 m/s::

    ln Y(vs30) = ln Y_C + ln F(vs30) - ln F(450)

    F(vs30) = 1 / 10^interp(log10 vs30; log10 [760, 2000] -> log10 [1, c])   vs30 >= 760
            = exp(F_lin + F_nl) of Boore and Atkinson (2008)                  vs30 < 760

with c the 2000-to-760 m/s factor of AA13 and the Boore-Atkinson non-linear term driven
by the PGA on 760 m/s rock: PGA_C from the table (times 0.8 when SA(0.2)/PGA < 2),
converted to 760 m/s by interpolation of 0.1-0.5 g -> 0.083-0.414 g (clamped), and
taken as 0.1 g at sites stiffer than 450 m/s.

The 21 tables of the named variants (``NBCC2015_AA13_<setting>_<low|central|high>``)
are packed in ``data/nbcc2015_aa13/tables.npz``; ``gmpe_table`` names one of them by
its file name (a folder part is ignored).
"""
from __future__ import annotations

import os

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import boore_atkinson_2008 as ba08
from oqcore.hazard.gsim.base import alias, coeffs_table, data_path
from oqcore.hazard.gsim.gmpe_table import (
    GMPETable, magnitude_groups, read_packed_table, stddev_linear)
from oqcore.hazard.imt import IMT, PGA

TABLES = data_path(__file__, "nbcc2015_aa13", "tables.npz")
SA02 = IMT("SA", 0.2)
#: site class C velocity of the tables (m/s)
VS30_C = 450.0
#: PGA on class C (g) and the matching PGA on 760 m/s rock (g)
PGA_C = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
PGA_760 = np.array([0.083, 0.165, 0.248, 0.331, 0.414])
#: PGA (g) on 760 m/s rock assumed at sites stiffer than class C
PGA_760_STIFF = 0.1


def site_factor(c: float, C_SR, vs30: np.ndarray, pga760: np.ndarray) -> np.ndarray:
    """Linear site factor F(vs30) relative to 760 m/s (see the module docstring)."""
    hard = 1.0 / 10.0 ** np.interp(np.log10(vs30), np.log10([760.0, 2000.0]),
                                   [0.0, np.log10(c)])
    soft = np.exp(ba08.site_amplification(C_SR, vs30, pga760))
    return np.where(vs30 >= 760.0, hard, soft)


class NBCC2015_AA13(GMPETable):
    """NBCC2015 table model; arguments ``gmpe_table`` (a packed table's file name),
    ``REQUIRES_DISTANCES`` (list with the table's distance) and
    ``DEFINED_FOR_TECTONIC_REGION_TYPE``."""

    abstract = False

    DEFINED_FOR_TECTONIC_REGION_TYPE = ""
    DEFINED_FOR_INTENSITY_MEASURE_COMPONENT = "Average Horizontal (RotD50)"
    REQUIRES_SITES_PARAMETERS = frozenset(["vs30"])
    ARGUMENTS = {"gmpe_table": None, "REQUIRES_DISTANCES": None,
                 "DEFINED_FOR_TECTONIC_REGION_TYPE": ""}
    PATH_ARGUMENTS = ()

    COEFFS_2000_TO_760 = coeffs_table(__file__, "nbcc2015_aa13", "COEFFS_2000_to_BC.csv")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.kwargs.get("REQUIRES_DISTANCES") is not None:
            wanted = self.kwargs["REQUIRES_DISTANCES"]
            if list(wanted) != [self.table.metric]:
                raise InvalidInput("%s: REQUIRES_DISTANCES = %s but table %s is by %s" % (
                    type(self).__name__, wanted, self.gmpe_table, self.table.metric))

    def load_table(self):
        name = os.path.splitext(os.path.basename(self.gmpe_table))[0]
        return read_packed_table(TABLES, name)

    def compute(self, ctx, imts, mean, sig, tau, phi):
        dist = getattr(ctx, self.table.metric)
        for mag, idx in magnitude_groups(ctx.mag):
            d, vs30 = dist[idx], ctx.vs30[idx]
            table_d = self.table.distances_for(mag)
            pga_c = self.table_medians(mag, d, PGA)
            pga_c = np.where(self.table_medians(mag, d, SA02) / pga_c < 2.0, 0.8 * pga_c, pga_c)
            pga760 = np.where(vs30 > VS30_C, PGA_760_STIFF, np.interp(pga_c, PGA_C, PGA_760))
            for m, imt in enumerate(imts):
                c = self.COEFFS_2000_TO_760[imt]["c"]
                C_SR = ba08.BooreAtkinson2008.COEFFS_SOIL_RESPONSE[imt]
                amp = (site_factor(c, C_SR, vs30, pga760)
                       / site_factor(c, C_SR, np.full_like(vs30, VS30_C), pga760))
                mean[m, idx] = np.log(self.table_medians(mag, d, imt)) + np.log(amp)
                sig[m, idx] = stddev_linear(self.table.values(mag, imt, stddev=True), d,
                                            table_d)


#: (setting, distance, tectonic region type, table name with %s for low/med/high)
_VARIANTS = [
    ("stablecrust", "rhypo", "Stable Crust", "ENA_%s_clC"),
    ("activecrust", "rhypo", "Active Crust", "Wcrust_%s_clC"),
    ("activecrustFRjb", "rjb", "Active Crust Fault", "WcrustFRjb_%s_clC"),
    ("inslab30", "rhypo", "Subduction Inslab 30", "WinslabD30_%s_clC"),
    ("inslab50", "rhypo", "Subduction Inslab 50", "WinslabD50_%s_clC"),
    ("interface", "rrup", "Subduction Interface", "WinterfaceCombo_%sclC"),
    ("offshore", "rhypo", "Offshore", "Woffshore_%s_clC"),
]
for _setting, _dist, _trt, _table in _VARIANTS:
    for _level in ("low", "med", "high"):
        _name = "NBCC2015_AA13_%s_%s" % (_setting, "central" if _level == "med" else _level)
        globals()[_name] = alias(_name, NBCC2015_AA13, __name__, gmpe_table=_table % _level
                                 + ".hdf5", REQUIRES_DISTANCES=[_dist],
                                 DEFINED_FOR_TECTONIC_REGION_TYPE=_trt)
