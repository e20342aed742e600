"""Behaviour of the US (NSHMP 2008) models outside their verification tables."""
import math

import numpy as np
import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.library import builtin_gsims
from oqcore.hazard.imt import IMT

MODELS = builtin_gsims()


def _mean(name, imt="PGA", **ctx):
    n = len(next(iter(ctx.values())))
    return MODELS[name]().get_mean_stds(make_context(n, **ctx), [IMT.from_string(imt)])[0, 0]


def test_frankel_no_period_interpolation():
    with pytest.raises(UnknownIMT) as err:
        _mean("FrankelEtAl1996MwNSHMP2008", "SA(0.15)", mag=[6.0], rhypo=[20.0])
    assert "FrankelEtAl1996MwNSHMP2008" in str(err.value)
    assert "SA(0.15)" in str(err.value)


def test_frankel_clamps_to_the_table():
    # below 10 km and beyond the magnitude range the table's edge values apply
    near = _mean("FrankelEtAl1996MwNSHMP2008", "SA(1.0)", mag=[6.0, 6.0, 8.2, 9.0],
                 rhypo=[1.0, 10.0, 500.0, 500.0])
    assert near[0] == near[1]
    assert near[2] == near[3]


def test_nshmp_cap_of_the_median():
    # a large close event: the NSHMP code caps PGA at 1.5 g and short-period SA at 3 g
    for name in ("SilvaEtAl2002MwNSHMP2008", "TavakoliPezeshk2005MwNSHMP2008",
                 "Campbell2003MwNSHMP2008"):
        pga = _mean(name, "PGA", mag=[8.0], rrup=[0.0], rjb=[0.0])
        sa = _mean(name, "SA(0.2)", mag=[8.0], rrup=[0.0], rjb=[0.0])
        assert pga[0] == pytest.approx(0.405), name
        assert sa[0] <= 1.099 + 1e-12, name


def test_tavakoli_pezeshk_above_its_magnitude_range():
    with pytest.raises(InvalidInput) as err:
        _mean("TavakoliPezeshk2005", mag=[8.6], rrup=[10.0])
    assert "TavakoliPezeshk2005" in str(err.value)


def test_mblg_conversions_differ_from_mw():
    mw = _mean("SilvaEtAl2002MwNSHMP2008", mag=[5.0], rjb=[30.0])
    ab87 = _mean("SilvaEtAl2002MblgAB1987NSHMP2008", mag=[5.0], rjb=[30.0])
    j96 = _mean("SilvaEtAl2002MblgJ1996NSHMP2008", mag=[5.0], rjb=[30.0])
    assert len({float(mw[0]), float(ab87[0]), float(j96[0])}) == 3


def test_boore_2014_named_forms_are_their_arguments():
    ctx = make_context(3, mag=[5.0, 6.5, 7.5], rake=[90.0, 0.0, -90.0],
                       rjb=[5.0, 30.0, 100.0], vs30=[300.0, 760.0, 1200.0],
                       z1pt0=[200.0, -999.0, 50.0])
    imts = [IMT.from_string("SA(3.0)")]
    alias = MODELS["BooreEtAl2014LowQJapanBasinNoSOF"]()
    explicit = MODELS["BooreEtAl2014LowQ"](region="JPN", sof=False)
    np.testing.assert_array_equal(alias.get_mean_stds(ctx, imts),
                                  explicit.get_mean_stds(ctx, imts))
    assert str(alias) == "BooreEtAl2014LowQJapanBasinNoSOF"


def test_youngs_nshmp_ignores_the_focal_depth():
    a = _mean("YoungsEtAl1997SInterNSHMP2008", mag=[7.0, 7.0], rrup=[50.0, 50.0],
              hypo_depth=[5.0, 60.0], vs30=[760.0, 760.0])
    assert a[0] == a[1]
    b = _mean("YoungsEtAl1997SInter", mag=[7.0], rrup=[50.0], hypo_depth=[20.0],
              vs30=[760.0])
    assert math.isclose(a[0], b[0], rel_tol=1e-12)
