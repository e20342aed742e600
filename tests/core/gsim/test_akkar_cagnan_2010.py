"""Behavioural tests of Akkar and Cagnan (2010)."""
import numpy as np
import pytest

from oqcore.hazard.gsim.akkar_cagnan_2010 import LN_CMS2_PER_G, AkkarCagnan2010, rock_mean
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT

IMTS = [IMT("PGA"), IMT("PGV"), IMT("SA", 0.2)]


def _ctx(**kw):
    cols = dict(mag=6.0, rake=0.0, rjb=10.0, vs30=400.0)
    cols.update(kw)
    n = max(np.size(v) for v in cols.values())
    return make_context(n, **cols)


def test_rake_boundaries_strict():
    mean = AkkarCagnan2010().get_mean_stds(
        _ctx(rake=[0.0, 45.0, 135.0, -45.0, -135.0, 90.0, -90.0], vs30=760.0), IMTS)[0]
    for j in range(1, 5):
        np.testing.assert_array_equal(mean[:, j], mean[:, 0])
    C = AkkarCagnan2010.COEFFS_AC10[IMT("PGA")]
    assert mean[0, 5] - mean[0, 0] == pytest.approx(C["a9"], abs=1e-12)
    assert mean[0, 6] - mean[0, 0] == pytest.approx(C["a8"], abs=1e-12)


def test_reference_rock_has_no_site_term():
    ctx = _ctx(mag=[4.0, 6.5, 8.5], rjb=[0.0, 10.0, 500.0], vs30=760.0)
    mean = AkkarCagnan2010().get_mean_stds(ctx, [IMT("PGA")])[0, 0]
    C = AkkarCagnan2010.COEFFS_AC10[IMT("PGA")]
    expected = rock_mean(C, ctx.mag, ctx.rjb, ctx.rake) - LN_CMS2_PER_G
    np.testing.assert_allclose(mean, expected, rtol=1e-12)


def test_soft_soil_deamplifies_strong_shaking():
    # non-linear BA08 term: amplification on soft soil decreases as rock PGA grows
    gsim = AkkarCagnan2010()
    near = gsim.get_mean_stds(_ctx(rjb=[0.0, 0.0], vs30=[180.0, 760.0], mag=7.5),
                              [IMT("PGA")])[0, 0]
    far = gsim.get_mean_stds(_ctx(rjb=[200.0, 200.0], vs30=[180.0, 760.0], mag=7.5),
                             [IMT("PGA")])[0, 0]
    assert near[0] - near[1] < far[0] - far[1]


def test_imt_outside_tables():
    with pytest.raises(UnknownIMT):
        AkkarCagnan2010().get_mean_stds(_ctx(), [IMT("SA", 0.01)])
