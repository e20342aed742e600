"""Behaviour of the Zhao et al. (2006) models beyond the verification tables."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.zhao_2006 import (
    ZhaoEtAl2006Asc, ZhaoEtAl2006SInter, ZhaoEtAl2006SSlab)
from oqcore.hazard.imt import IMT

PGA = IMT("PGA")


def _mean(gsim, imt=PGA, **columns):
    n = max(np.size(v) for v in columns.values())
    base = dict(mag=6.5, rake=0.0, hypo_depth=10.0, rrup=30.0, vs30=400.0)
    base.update(columns)
    fields = gsim.requires
    ctx = make_context(n, **{k: v for k, v in base.items() if k in fields})
    return gsim.get_mean_stds(ctx, [imt])[0, 0]


def test_site_class_boundaries_belong_to_softer_class():
    C = ZhaoEtAl2006Asc.COEFFS_ASC[PGA]
    vs30 = [1100.1, 1100.0, 600.0, 300.0, 200.0, 150.0]
    mean = _mean(ZhaoEtAl2006Asc(), vs30=vs30)
    terms = [C["CH"], C["C1"], C["C2"], C["C3"], C["C4"], C["C4"]]
    np.testing.assert_allclose(mean - mean[0], np.array(terms) - C["CH"], atol=1e-12)


def test_reverse_faulting_strict_bounds():
    C = ZhaoEtAl2006Asc.COEFFS_ASC[PGA]
    mean = _mean(ZhaoEtAl2006Asc(), rake=[0.0, 45.0, 45.1, 134.9, 135.0])
    np.testing.assert_allclose(mean - mean[0], [0, 0, C["FR"], C["FR"], 0], atol=1e-12)


@pytest.mark.parametrize("cls", [ZhaoEtAl2006Asc, ZhaoEtAl2006SInter, ZhaoEtAl2006SSlab])
def test_focal_depth_capped_at_125_km(cls):
    mean = _mean(cls(), hypo_depth=[125.0, 200.0, 14.0, 0.0])
    assert mean[0] == mean[1]
    assert mean[2] == mean[3]  # no depth term shallower than hc = 15 km


def test_slab_zero_distance_is_finite():
    mean = _mean(ZhaoEtAl2006SSlab(), rrup=[0.0, 0.1], hypo_depth=40.0)
    assert np.isfinite(mean).all()
    assert mean[0] == mean[1]  # a zero distance is replaced by 0.1 km


@pytest.mark.parametrize("imt", [IMT("PGV"), IMT("SA", 0.01), IMT("SA", 6.0)])
def test_unsupported_imts_raise(imt):
    with pytest.raises(UnknownIMT):
        _mean(ZhaoEtAl2006SInter(), imt, mag=6.0)
