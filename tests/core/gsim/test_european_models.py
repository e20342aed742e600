"""European, Italian, New Zealand and Australian models beyond their verification tables:
argument checks, out-of-range inputs, text site parameters (geology) and the ESHM20
forearc/backarc site parameter xvf flowing from a site model into contexts, MMI levels."""
import numpy as np
import pytest

import oqcore
from oqcore.errors import InvalidInput
from oqcore.hazard.contexts import ContextMaker
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.library import builtin_gsims
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim
from oqcore.hazard.model import gsim_site_params
from oqcore.hazard.site import build_site_collection
from tests.core.test_site_inputs import job as _job

PGA = IMT("PGA")


@pytest.fixture(scope="module")
def registry():
    return oqcore.load_registry()


def _gsim(name, **kwargs):
    return builtin_gsims()[name](**kwargs)


def test_tusa_langer_refuses_eurocode8_class_c():
    ctx = make_context(2, mag=4.0, repi=[10.0, 20.0], vs30=[800.0, 250.0])
    with pytest.raises(InvalidInput, match="class C.*vs30 = 250"):
        _gsim("TusaLanger2016RepiSP87SE").get_mean_stds(ctx, [PGA])


@pytest.mark.parametrize("kwargs, message", [
    ({"faba_taper_model": "Cosine"}, "faba_taper_model = 'Cosine' is not one of"),
    ({"faba_taper_model": "Step", "width": 10.0}, "the Step taper takes no parameters"),
    ({"faba_taper_model": "SFunc", "a": 10.0, "b": -10.0}, "a = 10.0 exceeds b = -10.0"),
    ({"faba_taper_model": "Linear", "width": 0.0}, "width must be positive"),
    ({"a": -100.0}, "a given without faba_taper_model"),
])
def test_eshm20_bchydro_taper_arguments_checked(kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        _gsim("BCHydroESHM20SInter", **kwargs)


def test_eshm20_bchydro_without_taper_has_no_backarc_term():
    ctx = make_context(2, mag=7.0, rrup=150.0, vs30=400.0, xvf=[-50.0, 50.0])
    out = _gsim("BCHydroESHM20SInter").get_mean_stds(ctx, [PGA])
    assert out[0, 0, 0] == out[0, 0, 1]
    step = _gsim("BCHydroESHM20SInter", faba_taper_model="Step").get_mean_stds(ctx, [PGA])
    # xvf < 0: backarc side (the taper of -xvf is 1), xvf > 0: forearc side
    assert step[0, 0, 1] == out[0, 0, 1] and step[0, 0, 0] != out[0, 0, 0]


def test_eshm20_branch_alias_equals_its_arguments(registry):
    alias = parse_gsim("ESHM20SInterHighStressSlowAtten", registry)
    explicit = parse_gsim('[BCHydroESHM20SInter]\nsigma_mu_epsilon = 1.35563\n'
                          'theta6_adjustment = 0.0015\nfaba_taper_model = "SFunc"\n'
                          'a = -100.0\nb = 100.0', registry)
    ctx = make_context(3, mag=[6.0, 7.5, 8.5], rrup=[20.0, 120.0, 300.0], vs30=300.0,
                       xvf=[-120.0, 0.0, 30.0])
    np.testing.assert_array_equal(alias.get_mean_stds(ctx, [PGA]),
                                  explicit.get_mean_stds(ctx, [PGA]))
    assert str(alias) == "ESHM20SInterHighStressSlowAtten"


@pytest.mark.parametrize("toml, message", [
    ('[KothaEtAl2020ESHM20]\ndl2l = 0.5', "dl2l must be a table of IMT = value"),
    ('[KothaEtAl2020ESHM20]\n[KothaEtAl2020ESHM20.c3]\n"XYZ" = 0.1', "c3 has an invalid IMT"),
    ('[KothaEtAl2020ESHM20]\nergodic = "yes"', "ergodic must be true or false"),
])
def test_kotha_arguments_checked(registry, toml, message):
    with pytest.raises(InvalidInput, match=message):
        parse_gsim(toml, registry)


def test_kotha_geology_unknown_era_takes_fixed_effects_only():
    gsim = _gsim("KothaEtAl2020ESHM20SlopeGeology")
    ctx = make_context(2, mag=6.0, rjb=20.0, hypo_depth=8.0, region=0, slope=0.05,
                       geology=[b"NOT-AN-ERA", b"UNKNOWN"])
    C = gsim.GEOLOGY_FIXED[PGA]
    amp = gsim.site_term(gsim.COEFFS[PGA], PGA, ctx)
    assert amp[0] == pytest.approx(C["V1"] + C["V2"] * np.log(0.05))
    assert amp[1] != amp[0]


def test_slope_geology_and_xvf_reach_the_contexts(tmp_path, registry):
    oq = _job(tmp_path, registry, """
        site_model_file = sm.csv
        intensity_measure_types_and_levels = {"PGA": [0.1, 0.2]}
        maximum_distance = 200
        truncation_level = 3
        investigation_time = 1
        """, [("sm.csv", """
        lon,lat,vs30,slope,geology,region,xvf
        10.0,45.0,400,0.02,HOLOCENE,3,-20
        10.1,45.0,700,0.10,PRECAMBRIAN,0,35.5
        """)])
    gsims = [_gsim("KothaEtAl2020ESHM20SlopeGeology"), _gsim("BCHydroESHM20SInter")]
    sitecol = build_site_collection(oq, gsim_site_params(gsims, [PGA]))
    cmaker = ContextMaker("Active Shallow Crust", gsims, oq, sitecol)
    for name in ("slope", "geology", "region", "xvf"):
        assert name in cmaker.site_fields
    ctx = cmaker.new_context(2)
    cmaker.set_sites(ctx, np.array([0, 1]))
    assert list(ctx["geology"]) == [b"HOLOCENE", b"PRECAMBRIAN"]
    np.testing.assert_array_equal(ctx["xvf"], [-20.0, 35.5])
    np.testing.assert_array_equal(ctx["region"], [3, 0])
    ctx["mag"], ctx["rjb"], ctx["hypo_depth"], ctx["rrup"] = 6.0, 30.0, 10.0, 40.0
    for gsim in gsims:
        assert np.isfinite(gsim.get_mean_stds(ctx, [PGA])).all()


def test_a_site_parameter_without_reference_needs_a_site_model(tmp_path, registry):
    oq = _job(tmp_path, registry, """
        sites = 10.0 45.0
        reference_vs30_value = 600
        intensity_measure_types_and_levels = {"PGA": [0.1]}
        """, [])
    with pytest.raises(InvalidInput, match="site parameter xvf.*site model"):
        build_site_collection(oq, ["vs30", "xvf"])
    # lon and lat are the sites' coordinates, never site-model columns
    sc = build_site_collection(oq, ["vs30", "lon", "lat"])
    assert sc.lons[0] == 10.0


def test_mmi_levels_are_not_logarithms(tmp_path, registry):
    oq = _job(tmp_path, registry, """
        sites = 10.0 45.0
        reference_vs30_value = 600
        intensity_measure_types_and_levels = {"MMI": [4, 5, 6], "PGA": [0.1, 0.2, 0.4]}
        maximum_distance = 200
        truncation_level = 3
        investigation_time = 1
        """, [])
    sitecol = build_site_collection(oq, [])
    cmaker = ContextMaker("Active Shallow Crust", [_gsim("AllenEtAl2012")], oq, sitecol)
    np.testing.assert_array_equal(cmaker.loglevels[0], [4, 5, 6])
    np.testing.assert_allclose(cmaker.loglevels[1], np.log([0.1, 0.2, 0.4]))


def test_override_vs30_multiplies_only_sites_of_unknown_vs30(tmp_path, registry):
    oq = _job(tmp_path, registry, """
        site_model_file = sm.csv
        override_vs30 = 500 800
        """, [("sm.csv", """
        lon,lat,vs30,z1pt0,custom_site_id
        -65.0,0.0,760,48,1001
        -64.0,0.0,-999,48,1002
        """)])
    sc = build_site_collection(oq, ["vs30", "z1pt0"])
    np.testing.assert_array_equal(sc["vs30"], [760, 500, 800])
    assert list(sc["custom_site_id"]) == [b"1001", b"1002:C", b"1002:BC"]
    assert sc["z1pt0"][0] != 48  # basin depths follow the vs30 of every site


def test_bradley_maps_needs_in_cshm():
    ctx = make_context(1, mag=6.0, rake=0.0, dip=90.0, ztor=0.0, rrup=10.0, rjb=10.0,
                       rx=5.0, vs30=300.0, vs30measured=False, z1pt0=-999.0,
                       lon=172.63, lat=-43.53)
    with pytest.raises(InvalidInput, match="rupture parameter in_cshm"):
        _gsim("Bradley2013bChchMaps").get_mean_stds(ctx, [PGA])


@pytest.mark.parametrize("vs30", [150, 1600])
def test_dowrick_rhoades_site_classes(vs30):
    """Oracle tables with one vs30 each (OpenQuake applies the first site's class)."""
    import os
    from oqcore.hazard.gsim.verification import check
    path = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim",
                        "DowrickRhoades2005Asc", "site_class_vs30_%d.csv" % vs30)
    results = check(_gsim("DowrickRhoades2005Asc"), path)
    assert results and max(r[2] for r in results) <= 1e-6
    # mixed vs30: every site takes its own class
    gsim = _gsim("DowrickRhoades2005Asc")
    ctx = make_context(2, mag=6.5, rake=0.0, hypo_depth=10.0, rrup=20.0, vs30=[150.0, 1600.0])
    mixed = gsim.get_mean_stds(ctx, [IMT("MMI")])[0, 0]
    alone = [gsim.get_mean_stds(ctx[i:i + 1], [IMT("MMI")])[0, 0, 0] for i in range(2)]
    np.testing.assert_array_equal(mixed, alone)
