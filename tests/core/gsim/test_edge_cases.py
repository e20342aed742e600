"""Every built-in GSIM against OpenQuake 3.26.2 on edge-case contexts (tests/data/gsim_edge)."""
import os

import numpy as np
import pytest

from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.library import builtin_gsims
from oqcore.hazard.imt import IMT

PATH = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim_edge",
                    "gsim_edge_cases.npz")
with np.load(PATH) as _npz:
    DATA = {k: _npz[k] for k in _npz.files}
MODELS = sorted({k.split("|")[0] for k in DATA})
RTOL = 1e-6


@pytest.mark.parametrize("model", MODELS)
def test_edge_cases(model):
    fields = {k.split("|")[2]: v for k, v in DATA.items() if k.startswith(model + "|ctx|")}
    for f in ("vs30measured", "backarc"):
        if f in fields:
            fields[f] = fields[f].astype(bool)
    n = len(next(iter(fields.values())))
    ctx = make_context(n, **fields)
    imts = [IMT.from_string(str(s)) for s in DATA[model + "|imts"]]
    expected = DATA[model + "|expected"]
    with np.errstate(all="ignore"):
        got = builtin_gsims()[model]().get_mean_stds(ctx, imts)
    np.testing.assert_allclose(np.exp(got[0]), np.exp(expected[0]), rtol=RTOL, atol=0)
    defined = builtin_gsims()[model].DEFINED_FOR_STANDARD_DEVIATION_TYPES
    for k, std in ((1, "Total"), (2, "Inter event"), (3, "Intra event")):
        if std in defined:
            np.testing.assert_allclose(got[k], expected[k], rtol=RTOL, atol=1e-12,
                                       err_msg="%s %s" % (model, std))
