"""SERA site-amplification wrappers, SplitSigmaGMPE, ManeaEtAl2021 and AvgSA tables: the
branches and errors that the
verification tables (tests/data/gsim) do not cover."""
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.manea_2021 import ManeaEtAl2021
from oqcore.hazard.gsim.sera_amplification import (
    code_spectrum, ec8_site_class, pitilakis_factors)
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim

PGA, SA1 = IMT("PGA"), IMT("SA", 1.0)


def _gsim(text):
    return parse_gsim(text, load_registry())


def _ctx(n=3, **extra):
    cols = dict(mag=np.linspace(5.0, 7.0, n), hypo_depth=10.0, rjb=np.linspace(5, 80, n),
                rake=0.0, vs30=np.linspace(200.0, 700.0, n), vs30measured=True, region=0,
                z1pt0=100.0)
    cols.update(extra)
    return make_context(n, **cols)


def test_gmpe_table_form_equals_gmpe_name_form():
    by_name = _gsim('[PitilakisEtAl2018]\ngmpe_name = "KothaEtAl2020ESHM20"')
    by_table = _gsim('[PitilakisEtAl2018]\ngmpe.KothaEtAl2020ESHM20 = {}')
    ctx = _ctx(ec8_p18=np.array([b"B1", b"C3", b"E"]))
    np.testing.assert_array_equal(by_name.get_mean_stds(ctx, [PGA, SA1]),
                                  by_table.get_mean_stds(ctx, [PGA, SA1]))
    assert "ec8_p18" in by_table.REQUIRES_SITES_PARAMETERS
    assert "region" in by_table.REQUIRES_SITES_PARAMETERS  # the inner model's


def test_inner_model_arguments_go_to_the_inner_model():
    plain = _gsim('[SandikkayaDinsever2018]\ngmpe_name = "KothaEtAl2020ESHM20"')
    scaled = _gsim('[SandikkayaDinsever2018]\ngmpe_name = "KothaEtAl2020ESHM20"\n'
                   'sigma_mu_epsilon = 1.0')
    ctx = _ctx()
    assert np.all(scaled.get_mean_stds(ctx, [PGA])[0] > plain.get_mean_stds(ctx, [PGA])[0])


def test_site_class_a_is_rock():
    gsim = _gsim('[PitilakisEtAl2018]\ngmpe_name = "KothaEtAl2020ESHM20"')
    ctx = _ctx(ec8_p18=np.array([b"A", b"A", b"A"]))
    rock = ctx.copy()
    rock["vs30"] = 800.0
    ms = gsim.get_mean_stds(ctx, [PGA])
    inner = _gsim("KothaEtAl2020ESHM20").get_mean_stds(rock.view(np.recarray), [PGA])
    # PGA of the code spectrum on class A: S_S / 2.5 = the rock PGA
    np.testing.assert_allclose(ms[0], inner[0], rtol=1e-12)
    np.testing.assert_allclose(ms[1:], inner[1:], rtol=1e-12)


def test_pitilakis_factors_are_flat_beyond_the_table():
    levels, fs, _ = pitilakis_factors("2018")
    assert levels[0] == 0.0 and levels[-1] == 1.25
    assert list(fs[b"D"])[0] == 2.2 and list(fs[b"D"])[-1] == 1.0


def test_ec8_site_classes():
    vs30 = np.array([900.0, 500.0, 300.0, 300.0, 300.0, 200.0, 200.0, 200.0, 500.0])
    h800 = np.array([10.0, 10.0, 20.0, 50.0, 150.0, 20.0, 50.0, 150.0, 3.0])
    assert ec8_site_class(vs30, h800).tolist() == [
        b"B", b"B", b"E", b"C", b"F", b"E", b"D", b"F", b"A"]


def test_code_spectrum_branches():
    s_s, s_1 = np.array([1.0]), np.array([0.4])
    assert code_spectrum(PGA, s_s, s_1, s_1) == pytest.approx(np.log(0.4))
    # plateau between T_B (0.08 s) and T_C (0.4 s), then S_1 / T, then T_D S_1 / T²
    assert code_spectrum(IMT("SA", 0.2), s_s, s_1, s_1) == pytest.approx(0.0)
    assert code_spectrum(IMT("SA", 1.0), s_s, s_1, s_1) == pytest.approx(np.log(0.4))
    t_d = 1.0 + 10.0 * 0.4
    assert code_spectrum(IMT("SA", 6.0), s_s, s_1, s_1) == pytest.approx(
        np.log(t_d * 0.4 / 36.0))


@pytest.mark.parametrize("text, message", [
    ('[PitilakisEtAl2018]\nreference_velocity = 800.0', "needs the model it wraps"),
    ('[PitilakisEtAl2018]\ngmpe_name = "NoSuchModel"', "unknown GSIM"),
    ('[PitilakisEtAl2018]\ngmpe_name = "KothaEtAl2020ESHM20"\nreference_velocity = -1.0',
     "positive"),
    ('[PitilakisEtAl2018]\ngmpe_name = "KothaEtAl2020ESHM20"\ngmpe.AkkarBommer2010 = {}',
     "not both"),
    ('[SandikkayaDinsever2018]\ngmpe_name = "Campbell2003"', "between- and within-event"),
    ('[SandikkayaDinsever2018]\ngmpe_name = "KothaEtAl2020ESHM20"\nregion = "XX"', "region"),
    ('[SandikkayaDinsever2018]\ngmpe_name = "KothaEtAl2020ESHM20"\nphi_0 = 0.4', "phi_0"),
    ('[SplitSigmaGMPE]\ngmpe_name = "Campbell2003"', "between_absolute or within_absolute"),
])
def test_bad_wrapper_arguments(text, message):
    with pytest.raises(InvalidInput, match=message):
        _gsim(text)


def test_unknown_pitilakis_site_class():
    gsim = _gsim('[PitilakisEtAl2018]\ngmpe_name = "KothaEtAl2020ESHM20"')
    with pytest.raises(InvalidInput, match="ec8_p18"):
        gsim.get_mean_stds(_ctx(ec8_p18=np.array([b"B", b"A", b"A"])), [PGA])


def test_sandikkaya_needs_known_z1pt0():
    gsim = _gsim('[SandikkayaDinsever2018]\ngmpe_name = "KothaEtAl2020ESHM20"')
    with pytest.raises(InvalidInput, match="z1pt0"):
        gsim.get_mean_stds(_ctx(z1pt0=np.array([100.0, -999.0, 50.0])), [PGA])


def test_wrappers_refuse_pgv():
    gsim = _gsim('[Eurocode8Amplification]\ngmpe_name = "KothaEtAl2020ESHM20"')
    with pytest.raises(InvalidInput, match="PGA and SA"):
        gsim.get_mean_stds(_ctx(h800=50.0), [IMT("PGV")])


def test_split_sigma_larger_than_total():
    gsim = _gsim('[SplitSigmaGMPE]\ngmpe_name = "Campbell2003"\nwithin_absolute = 5.0')
    ctx = make_context(2, mag=[5.0, 6.0], rrup=[10.0, 20.0])
    with pytest.raises(InvalidInput, match="exceeds"):
        gsim.get_mean_stds(ctx, [PGA])


def test_manea_along_arc_sites():
    gsim = ManeaEtAl2021()
    C = gsim.COEFFS[PGA]
    # site models store backarc as an integer (2: along the arc)
    names = ("mag", "hypo_depth", "rhypo", "vs30", "f0", "backarc")
    ctx = np.zeros(3, [(n, np.uint8 if n == "backarc" else float) for n in names])
    for name, value in zip(names, (6.5, 120.0, 150.0, 500.0, 15.0, [0, 1, 2])):
        ctx[name] = value
    mean = gsim.get_mean_stds(ctx.view(np.recarray), [PGA])[0, 0]
    assert mean[2] - mean[0] == pytest.approx((C["phi5"] - C["phi7"]) * 150.0)
    assert mean[1] - mean[0] == pytest.approx((C["phi6"] - C["phi7"]) * 150.0)


def test_avgsa_rows_are_a_period_axis():
    from oqcore.hazard.gsim.weatherill_2024 import Weatherill2024ESHM20AvgSA
    table = Weatherill2024ESHM20AvgSA.COEFFS
    lo, hi = table[IMT("AvgSA", 0.5)], table[IMT("AvgSA", 0.6)]
    mid = table[IMT("AvgSA", 0.55)]
    w = np.log(0.55 / 0.5) / np.log(0.6 / 0.5)
    assert mid["e1"] == pytest.approx(lo["e1"] + w * (hi["e1"] - lo["e1"]))
    with pytest.raises(InvalidInput):
        Weatherill2024ESHM20AvgSA().get_mean_stds(_ctx(), [IMT("SA", 0.5)])


def test_ec8_h800_and_f0_reach_the_contexts(tmp_path):
    from oqcore.hazard.contexts import ContextMaker
    from oqcore.hazard.model import gsim_site_params
    from oqcore.hazard.site import build_site_collection
    from tests.core.test_site_inputs import job

    registry = load_registry()
    oq = job(tmp_path, registry, """
        site_model_file = sm.xml
        intensity_measure_types_and_levels = {"PGA": [0.1], "SA(1.0)": [0.1]}
        maximum_distance = 200
        truncation_level = 3
        investigation_time = 1
        """, [("sm.xml", """
        <?xml version="1.0" encoding="utf-8"?>
        <nrml xmlns="http://openquake.org/xmlns/nrml/0.5">
          <siteModel>
            <site lon="10.0" lat="45.0" vs30="355.0" vs30Type="measured" z1pt0="400"
                  region="0" ec8="C" ec8_p18="C2" h800="255.0" f0="2.5"/>
            <site lon="10.1" lat="45.0" vs30="900.0" vs30Type="inferred" z1pt0="40"
                  region="0" ec8="A" ec8_p18="A" h800="0.0" f0="15"/>
          </siteModel>
        </nrml>
        """)])
    gsims = [_gsim('[PitilakisEtAl2018]\ngmpe_name = "KothaEtAl2020ESHM20"'),
             _gsim('[Eurocode8Amplification]\ngmpe_name = "KothaEtAl2020ESHM20"'),
             _gsim('[Eurocode8AmplificationDefault]\ngmpe_name = "KothaEtAl2020ESHM20"'),
             ManeaEtAl2021()]
    sitecol = build_site_collection(oq, gsim_site_params(gsims, [PGA, SA1]))
    cmaker = ContextMaker("Active Shallow Crust", gsims, oq, sitecol)
    ctx = cmaker.new_context(2)
    cmaker.set_sites(ctx, np.array([0, 1]))
    assert list(ctx["ec8_p18"]) == [b"C2", b"A"]
    assert list(ctx["ec8"]) == [b"C", b"A"]
    np.testing.assert_array_equal(ctx["h800"], [255.0, 0.0])
    np.testing.assert_array_equal(ctx["f0"], [2.5, 15.0])
    ctx["mag"], ctx["rjb"], ctx["hypo_depth"], ctx["rhypo"] = 6.0, 30.0, 10.0, 40.0
    for gsim in gsims:
        assert np.isfinite(gsim.get_mean_stds(ctx, [PGA, SA1])).all()
