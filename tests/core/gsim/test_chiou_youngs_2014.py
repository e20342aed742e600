"""Behaviour of ChiouYoungs2014 and ChiouYoungs2014PEER at thresholds and limits."""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.gsim.chiou_youngs_2014 import (REF_VS, ChiouYoungs2014,
                                                  ChiouYoungs2014PEER, mean_z1pt0)
from oqcore.hazard.imt import IMT, PGA, PGV, SA


def _ctx(n=1, **kw):
    cols = dict(mag=6.5, rake=0.0, dip=60.0, ztor=2.0, rrup=20.0, rjb=19.0, rx=-19.0,
                vs30=400.0, vs30measured=True, z1pt0=-999.0)
    cols.update(kw)
    return make_context(n, **cols)


def test_rake_30_is_reverse():
    # at M 8.5 E[Ztor] = 0 for every mechanism, and on reference rock the site terms
    # vanish, so the only difference is the reverse-faulting term c1a + c1c/cosh(8)
    gsim = ChiouYoungs2014()
    ctx = _ctx(2, mag=8.5, rake=[29.999, 30.0], vs30=REF_VS)
    mean = gsim.get_mean_stds(ctx, [SA(1.0)])[0, 0]
    C = gsim.COEFFS[SA(1.0)]
    assert mean[1] - mean[0] == pytest.approx(C["c1a"] + C["c1c"] / np.cosh(8.0), rel=1e-9)


def test_short_period_sa_floored_at_pga():
    gsim = ChiouYoungs2014()
    ctx = _ctx(3, vs30=[180.0, 760.0, 1500.0], rrup=[1.0, 50.0, 200.0])
    out = gsim.get_mean_stds(ctx, [PGA, SA(0.01), SA(0.3), SA(0.02)])[0]
    assert np.all(out[1:] >= out[0])
    assert np.array_equal(out[1], out[0])  # SA(0.01) never exceeds PGA here


def test_unknown_basin_depth_means_no_basin_term():
    gsim = ChiouYoungs2014()
    vs30 = np.array([200.0, 500.0])
    known = gsim.get_mean_stds(_ctx(2, vs30=vs30, z1pt0=mean_z1pt0(vs30)), [PGV])
    unknown = gsim.get_mean_stds(_ctx(2, vs30=vs30, z1pt0=-999.0), [PGV])
    np.testing.assert_allclose(unknown, known, rtol=1e-12)


def test_outside_period_range():
    with pytest.raises(UnknownIMT):
        ChiouYoungs2014().get_mean_stds(_ctx(), [SA(12.0)])


def test_peer_variant():
    ctx = _ctx(2)
    out = ChiouYoungs2014PEER().get_mean_stds(ctx, [PGA])
    ref = ChiouYoungs2014().get_mean_stds(ctx, [PGA])
    np.testing.assert_array_equal(out[0], ref[0])
    assert np.all(out[1] == 0.65)
    with pytest.raises(UnknownIMT):
        ChiouYoungs2014PEER().get_mean_stds(ctx, [IMT.from_string("SA(0.1)")])


def test_long_period_term_of_boore_2022():
    from oqcore.hazard.gsim.chiou_youngs_2014 import long_period_term
    mag = np.array([6.0, 7.5, 6.0, 8.9])
    rrup = np.array([10.0, 50.0, 500.0, 10.0])
    assert not long_period_term(1.9, mag[:1], rrup[:1]).any()   # below T_B = 2 s
    assert not long_period_term(0.0, mag, rrup).any()           # PGA, PGV
    out = long_period_term(4.0, mag, rrup)
    s = 0.2704 - 0.1342 / np.cosh(0.2513 * 100.0)               # rrup capped at 100 km
    assert out[2] == pytest.approx(s * np.log(2.0) ** 2, rel=1e-12)
    assert out[1] > 0 and np.isfinite(out).all()


def test_host_to_target_files_are_checked(tmp_path):
    from oqcore.errors import InvalidInput
    bad = tmp_path / "src.txt"
    bad.write_text("IMT chi_delta_pos\npga 0.5\n")
    with pytest.raises(InvalidInput, match="missing column.*chi_delta_neg"):
        ChiouYoungs2014(source_function_tab=str(bad), stress_par_host=100.0,
                        stress_par_target=50.0)
    with pytest.raises(InvalidInput, match="stress_par_host must be a number"):
        ChiouYoungs2014(source_function_tab=str(bad))
    with pytest.raises(InvalidInput, match="cannot read the file") as err:
        ChiouYoungs2014(delta_gamma_tab=str(tmp_path / "none.txt"))
    assert str(tmp_path) not in str(err.value)
    bad.write_text("IMT c0 c1 c2 c3\nSA 1 2 3 4\n")
    with pytest.raises(InvalidInput, match="row 2: invalid IMT"):
        ChiouYoungs2014(delta_gamma_tab=str(bad))


def test_adjustment_applies_only_to_listed_imts(tmp_path):
    path = tmp_path / "path.txt"
    path.write_text("IMT c0 c1 c2 c3\n1.0 -0.002 0 0 0\n")
    ctx = _ctx(1, rrup=100.0, vs30=REF_VS)   # no non-linear site response
    imts = [SA(0.5), SA(1.0)]
    base = ChiouYoungs2014().get_mean_stds(ctx, imts)[0]
    adj = ChiouYoungs2014(delta_gamma_tab=str(path)).get_mean_stds(ctx, imts)[0]
    assert adj[0] == base[0]
    assert adj[1] - base[1] == pytest.approx(-0.002 * 100.0, rel=1e-9)
