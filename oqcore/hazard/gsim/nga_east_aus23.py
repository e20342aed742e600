"""The NGA-East backbone model as Geoscience Australia uses it in the 2023 National
Seismic Hazard Assessment (NSHA23).

Goulet, C. A. et al. (2017). NGA-East ground-motion models for the U.S. Geological
Survey national seismic hazard maps. PEER Report 2017/03 (the backbone median table on
very hard rock, geometric-mean component, with its total standard deviations); Allen,
T. I. et al. (2023). The 2023 National Seismic Hazard Assessment for Australia.

* :class:`NGAEastAUS2023GMPE`: a shipped NGA-East table (argument ``table_relpath``, the
  table's file name), interpolated as any GMPE table
  (:mod:`oqcore.hazard.gsim.gmpe_table`); medians and total sigma on hard rock.
* ``NGAEastAUS23_vs3000``: that table with the backbone model, amplified to the sites'
  vs30 by the CEUS 2020 site term (Stewart et al. 2020 with the gradient reference
  model, wimp = 0; Hashash et al. 2020 non-linearity driven by the table's PGA on
  3000 m/s rock), i.e. ModifiableGMPE with ``ceus2020_site_term``.

The backbone table is packed in ``data/nga_east_aus23/tables.npz``.
"""
from __future__ import annotations

import os

from oqcore.hazard.gsim.base import alias, data_path
from oqcore.hazard.gsim.gmpe_table import GMPETable, read_packed_table
from oqcore.hazard.gsim.modifiable import ModifiableGMPE

TABLES = data_path(__file__, "nga_east_aus23", "tables.npz")
#: the file name of the NGA-East backbone table (geometric mean, Vs30 = 3000 m/s)
BACKBONE = "NGA-East_Backbone_Model.geometric.3000.mps.hdf5"


class NGAEastAUS2023GMPE(GMPETable):
    """A shipped NGA-East table (``table_relpath``: its file name) used as a GMPE table."""

    abstract = False
    DEFINED_FOR_TECTONIC_REGION_TYPE = "Stable Shallow Crust"
    ARGUMENTS = {"table_relpath": None}
    TABLE_ARGUMENT = "table_relpath"
    PATH_ARGUMENTS = ()

    def load_table(self):
        name = os.path.splitext(os.path.basename(str(self.table_relpath)))[0]
        return read_packed_table(TABLES, name)


NGAEastAUS23_vs3000 = alias(
    "NGAEastAUS23_vs3000", ModifiableGMPE, __name__,
    gmpe={"NGAEastAUS2023GMPE": {"table_relpath": BACKBONE}},
    ceus2020_site_term={"ref_vs30": 3000, "wimp": 0.0})
