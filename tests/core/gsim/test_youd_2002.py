"""YoudEtAl2002 at the switches its verification table does not reach."""
import numpy as np

from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.youd_2002 import YoudEtAl2002
from oqcore.hazard.imt import IMT

LSD = [IMT("LSD")]


def _ctx(**kw):
    cols = dict(mag=7.0, hypo_depth=60.0, repi=[2.0, 5.0], slope=1.0, freeface_ratio=10.0,
                T_15=5.0, F_15=20.0, D50_15=0.2)
    cols.update(kw)
    return make_context(2, **cols)


def test_deep_sources_nearer_than_5_km_take_5_km():
    mean = YoudEtAl2002().get_mean_stds(_ctx(), LSD)[0, 0]
    assert mean[0] == mean[1]
    shallow = YoudEtAl2002().get_mean_stds(_ctx(hypo_depth=10.0), LSD)[0, 0]
    assert shallow[0] != shallow[1]


def test_zero_slope_is_a_free_face_site():
    free = YoudEtAl2002().get_mean_stds(_ctx(slope=0.0), LSD)[0, 0]
    sloped = YoudEtAl2002().get_mean_stds(_ctx(slope=10.0), LSD)[0, 0]
    # same S = 10 %: only c0 and c4 differ (-16.713 + 0.592 vs -16.213 + 0.338)
    np.testing.assert_allclose(free - sloped, np.log(10.0) * (-0.5 + 0.254), rtol=1e-12)
