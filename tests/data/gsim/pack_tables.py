"""Pack OpenQuake's GMPE table files into one compressed .npz for oqcore/hazard/gsim/data/.

Not imported by the project or its tests. Usage::

    python pack_tables.py OUT.npz TABLE.hdf5 ...

Every dataset of table ``NAME.hdf5`` is stored under the key ``NAME|<dataset path>``
(``NAME|Mw``, ``NAME|Distances``, ``NAME|IMLs/SA``, ...) with its dtype, plus
``NAME|metric`` (the distance metric attribute of ``Distances``), as
:func:`oqcore.hazard.gsim.gmpe_table.read_packed_table` reads them.
"""
import os
import sys

import h5py
import numpy as np


def main(out: str, paths: list[str]) -> None:
    arrays = {}
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        with h5py.File(path, "r") as f:
            def copy(key, obj):
                if isinstance(obj, h5py.Dataset):
                    arrays["%s|%s" % (name, key)] = obj[()]
            f.visititems(copy)
            metric = f["Distances"].attrs["metric"]
            arrays[name + "|metric"] = np.array(
                metric.decode() if isinstance(metric, bytes) else str(metric))
    np.savez_compressed(out, **arrays)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
