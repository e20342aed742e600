"""Behavioural tests of Lin and Lee (2008)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.lin_lee_2008 import LinLee2008SInter
from oqcore.hazard.imt import IMT


def _ctx(**kw):
    cols = dict(mag=6.5, hypo_depth=25.0, rhypo=60.0, vs30=400.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rock_from_360_inclusive():
    out = LinLee2008SInter().get_mean_stds(_ctx(vs30=[360.0, 1000.0, 359.0]), [IMT("PGA")])
    np.testing.assert_array_equal(out[:, 0, 0], out[:, 0, 1])
    np.testing.assert_allclose(out[1, 0], [0.5268, 0.5268, 0.48763])


def test_pga_value():
    # equation (1) with the rock PGA coefficients
    ctx = _ctx(mag=6.0, hypo_depth=20.0, rhypo=30.0, vs30=760.0)
    got = LinLee2008SInter().get_mean_stds(ctx, [IMT("PGA")])[0, 0, 0]
    want = (-2.5 + 1.205 * 6.0 - 1.90499 * np.log(30.0 + 0.51552 * np.exp(0.63255 * 6.0))
            + 0.0075 * 20.0)
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("imt", [IMT("PGV"), IMT("SA", 6.0)])
def test_unknown_imt(imt):
    with pytest.raises(UnknownIMT):
        LinLee2008SInter().get_mean_stds(_ctx(), [imt])
