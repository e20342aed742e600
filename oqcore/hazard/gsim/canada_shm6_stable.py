"""CanadaSHM6 models of stable crust: the Atkinson and Adams (2013) tables.

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

import math

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import GMPE, data_path
from oqcore.hazard.gsim.canada_shm6 import check_imts
from oqcore.hazard.gsim.gmpe_table import read_packed_table
from oqcore.hazard.gsim.nbcc2015_aa13 import NBCC2015_AA13

AA13_TABLES = data_path(__file__, "canada_shm6", "aa13_tables.npz")
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
