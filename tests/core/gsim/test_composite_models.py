"""GSIMs built from GSIMs: the TOML form, ModifiableGMPE's rules, mixture models,
AvgPoeGMPE, DummyGMPE, MultiGMPE and the AvgSA models (their numbers are checked against OpenQuake
3.26.2 by the verification tables of tests/data/gsim; these tests cover the rest)."""
import os

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.contexts import add_poes_numpy
from oqcore.hazard.gsim.avg_sa import baker_jayaram_rho, correlation_matrix
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT, PGA, SA
from oqcore.hazard.logictree import GsimLogicTree, parse_gsim

AK = "[ModifiableGMPE]\ngmpe.AkkarEtAlRjb2014 = {}\n"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _ctx(n=5):
    rng = np.random.default_rng(0)
    return make_context(n, mag=rng.uniform(5, 7.5, n), rake=rng.uniform(-180, 180, n),
                        rjb=rng.uniform(1, 150, n), rrup=rng.uniform(2, 150, n),
                        vs30=rng.uniform(200, 1200, n), z2pt5=rng.uniform(0.5, 8, n))


def test_str_keeps_the_order_of_adjustments(registry):
    text = AK + "set_scale_median_scalar.scaling_factor = 1.5\nset_between_epsilon.epsilon_tau = 1"
    gsim = parse_gsim(text, registry)
    again = parse_gsim(str(gsim), registry)
    assert again == gsim and str(again) == str(gsim)
    assert [a.name for a, _ in again.steps] == ["set_scale_median_scalar",
                                                "set_between_epsilon"]


def test_adjustments_apply_in_order(registry):
    ctx, imts = _ctx(), [PGA, SA(1.0)]
    base = parse_gsim("AkkarEtAlRjb2014", registry).get_mean_stds(ctx, imts)
    scale_first = parse_gsim(AK + "set_scale_total_sigma_scalar.scaling_factor = 2.0\n"
                             "add_delta_to_total_std_scalar.delta = 0.3", registry)
    delta_first = parse_gsim(AK + "add_delta_to_total_std_scalar.delta = 0.3\n"
                             "set_scale_total_sigma_scalar.scaling_factor = 2.0", registry)
    s1 = scale_first.get_mean_stds(ctx, imts)[1]
    s2 = delta_first.get_mean_stds(ctx, imts)[1]
    np.testing.assert_allclose(s1, np.sqrt((2 * base[1]) ** 2 + 0.09))
    np.testing.assert_allclose(s2, 2 * np.sqrt(base[1] ** 2 + 0.09))


@pytest.mark.parametrize("text, message", [
    (AK + "no_such_thing.x = 1", "unknown adjustment 'no_such_thing'"),
    (AK + "set_scale_median_scalar.factor = 1", "does not take factor"),
    (AK + "set_scale_median_scalar.scaling_factor = 'big'", "must be a number"),
    (AK + "[ModifiableGMPE.set_scale_median_vector.scaling_factor]\n\"XYZ\" = 1.1",
     "unknown IMT 'XYZ'"),
    (AK + "nrcan15_site_term.kind = 'cubic'", "kind = 'cubic' is not one of"),
    ("[ModifiableGMPE]\nset_between_epsilon.epsilon_tau = 1", "needs the underlying model"),
    ("[ModifiableGMPE]\ngmpe.ToroEtAl2002 = {}\nset_between_epsilon.epsilon_tau = 1",
     "needs a model with a between-event"),
    ("[ModifiableGMPE]\ngmpe.NoSuchModel = {}", "unknown GSIM 'NoSuchModel'"),
    ("[ModifiableGMPE]\ngmpe = {A = {}, B = {}}", "exactly one model"),
    ("[ChiouYoungs2014.mixture_model]\nfactors = [0.8]\nweights = [0.5]", "sum to 0.5"),
    ("[AvgGMPE]\nb1.AkkarBommer2010.wt = 1", "has no weight"),
    ("[GenericGmpeAvgSA]\ngmpe_name = 'AkkarEtAlRjb2014'\navg_periods = [0.5]\n"
     "corr_func = 'magic'", "corr_func = 'magic' is not one of"),
    ("[GmpeIndirectAvgSA]\ngmpe_name = 'BooreEtAl2014'\nt_low = 2.0\nt_high = 1.0",
     "t_high must exceed"),
    ("[BooreEtAl2014]\nregion = 'MARS'", "region = 'MARS' is not one of"),
    ("[CampbellBozorgnia2014]\nestimate_ztor = 'yes'", "must be true or false"),
])
def test_bad_arguments_are_named(registry, text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")) as exc:
        parse_gsim(text, registry, "gmpe_logic_tree.xml", 12)
    assert exc.value.lineno == 12


def test_negative_sigma_from_a_delta_is_an_error(registry):
    gsim = parse_gsim(AK + "add_delta_to_total_std_scalar.delta = -5.0", registry)
    with pytest.raises(InvalidInput, match="negative"):
        gsim.get_mean_stds(_ctx(), [PGA])


def test_missing_imt_in_a_delta_vector_is_an_error(registry):
    gsim = parse_gsim(AK + "[ModifiableGMPE.add_delta_to_tau_std_vector.delta]\n"
                      "\"PGA\" = 0.1", registry)
    with pytest.raises(InvalidInput, match="no value for SA\\(1.0\\)"):
        gsim.get_mean_stds(_ctx(), [SA(1.0)])


def test_empty_table_then_dotted_keys_is_accepted(registry):
    gsim = parse_gsim("[ModifiableGMPE]\ngmpe.BooreAtkinson2008 = {}\n"
                      "nrcan15_site_term = {}\nnrcan15_site_term.kind = 'base'", registry)
    assert gsim.steps[0][1] == {"kind": "base"}
    assert "vs30" in gsim.REQUIRES_SITES_PARAMETERS


def test_m9_basin_term(registry):
    gsim = parse_gsim(AK + "m9_basin_term = {}", registry)
    base = parse_gsim("AkkarEtAlRjb2014", registry)
    ctx = _ctx()
    ctx.z2pt5[:] = [1.0, 6.0, 7.0, 5.9, 9.0]
    diff = gsim.get_mean_stds(ctx, [SA(1.0), SA(2.0)])[0] - base.get_mean_stds(
        ctx, [SA(1.0), SA(2.0)])[0]
    np.testing.assert_allclose(diff[0], 0.0)
    np.testing.assert_allclose(diff[1], np.log(2.0) * np.array([0, 1, 1, 0, 1]))
    ctx.z2pt5[0] = -999
    with pytest.raises(InvalidInput, match="z2pt5 at every site"):
        gsim.get_mean_stds(ctx, [SA(2.0)])


def _rates(gsim, ctx, imts, loglevels, tl=3.0):
    """Rates (N, M*L1) of the contexts through the model's PoE components."""
    out = np.zeros((len(ctx), loglevels.size))
    for weight, ms in gsim.poe_components(ctx, imts):
        add_poes_numpy(ms[0], ms[1], loglevels, np.full(len(ctx), weight),
                       np.arange(len(ctx)), tl, out)
    return out


def test_mixture_model_poes_are_the_weighted_sum(registry):
    ctx, imts = _ctx(), [PGA]
    loglevels = np.log([[0.01, 0.1, 0.5]])
    plain = parse_gsim("ChiouYoungs2014", registry)
    ctx = make_context(3, mag=6.5, rake=0.0, dip=90.0, ztor=0.0, rrup=[5.0, 20.0, 60.0],
                       rjb=[5.0, 20.0, 60.0], rx=[5.0, 20.0, 60.0], vs30=400.0,
                       vs30measured=True, z1pt0=-999)
    mix = parse_gsim("[ChiouYoungs2014.mixture_model]\nfactors = [0.8, 1.2]\n"
                     "weights = [0.4, 0.6]", registry)
    ms = plain.get_mean_stds(ctx, imts)
    expected = np.zeros((3, 3))
    for f, w in [(0.8, 0.4), (1.2, 0.6)]:
        add_poes_numpy(ms[0], ms[1] * f, loglevels, np.full(3, w), np.arange(3), 3.0,
                       expected)
    np.testing.assert_allclose(_rates(mix, ctx, imts, loglevels), expected)
    assert not np.allclose(_rates(plain, ctx, imts, loglevels), expected)


def test_avg_poe_gmpe_averages_poes(registry):
    ctx, imts = _ctx(), [PGA, SA(0.5)]
    loglevels = np.log([[0.01, 0.1, 0.5], [0.01, 0.1, 0.5]])
    avg = parse_gsim("[AvgPoeGMPE]\nb1.AkkarEtAlRjb2014.weight = 0.3\n"
                     "b2.BooreAtkinson2008.weight = 0.7", registry)
    a = parse_gsim("AkkarEtAlRjb2014", registry)
    b = parse_gsim("BooreAtkinson2008", registry)
    expected = 0.3 * _rates(a, ctx, imts, loglevels) + 0.7 * _rates(b, ctx, imts, loglevels)
    np.testing.assert_allclose(_rates(avg, ctx, imts, loglevels), expected)
    with pytest.raises(InvalidInput, match="classical calculations only"):
        avg.get_mean_stds(ctx, imts)


def test_dummy_gmpe_takes_any_imt(registry):
    gsim = parse_gsim("[DummyGMPE]\nordinal = 1", registry)
    ms = gsim.get_mean_stds(_ctx(2), [IMT.from_string("MMI"), PGA])
    np.testing.assert_allclose(ms[:, 0, 0], [0.0, 0.005, 0.003, 0.004])


def test_uncertainty_model_attributes_are_arguments(registry, tmp_path):
    path = tmp_path / "gmmLT.xml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5"><logicTree logicTreeID="lt">
 <logicTreeBranchSet branchSetID="bs" uncertaintyType="gmpeModel"
    applyToTectonicRegionType="Active Shallow Crust">
  <logicTreeBranch branchID="b1">
   <uncertaintyModel gmpe_name="BooreAtkinson2008">NRCan15SiteTerm</uncertaintyModel>
   <uncertaintyWeight>1.0</uncertaintyWeight>
  </logicTreeBranch>
 </logicTreeBranchSet></logicTree></nrml>""")
    tree = GsimLogicTree.from_file(str(path), registry)
    gsim = tree.branchsets[0].branches[0].value
    assert type(gsim).__name__ == "NRCan15SiteTerm"
    assert type(gsim.gmpe).__name__ == "BooreAtkinson2008"


def test_avgsa_imt():
    imt = IMT.from_string("AvgSA(0.75)")
    assert (imt.name, imt.period, str(imt)) == ("AvgSA", 0.75, "AvgSA(0.75)")
    assert str(IMT.from_string("AvgSA")) == "AvgSA"
    assert not imt.is_spectral
    with pytest.raises(InvalidInput):
        IMT.from_string("AvgSA(-1)")


def test_correlation_matrices_are_symmetric_with_unit_diagonal():
    periods = [0.05, 0.1, 0.3, 1.0, 2.5]
    for name in ("baker_jayaram", "eshm20", "akkar", "clemett_asc", "none"):
        rho = correlation_matrix(name, periods)
        np.testing.assert_allclose(rho, rho.T)
        np.testing.assert_allclose(np.diag(rho), 1.0)
        assert np.all(rho <= 1.0 + 1e-12)
    # Baker and Jayaram (2008): correlations fall with the period ratio
    assert baker_jayaram_rho(0.3, 0.4) > baker_jayaram_rho(0.3, 3.0) > 0
    with pytest.raises(InvalidInput, match="covers periods"):
        correlation_matrix("akkar", [0.5, 10.0])


def test_indirect_avgsa_needs_a_period(registry):
    gsim = parse_gsim("[GmpeIndirectAvgSA]\ngmpe_name = 'BooreEtAl2014'\n"
                      "corr_func = 'eshm20'", registry)
    with pytest.raises(InvalidInput, match="AvgSA with a period"):
        gsim.get_mean_stds(_ctx(), [IMT.from_string("AvgSA")])


def test_tables_exist_for_every_adjustment():
    """Every adjustment that needs no extra site parameter has an oracle table."""
    import json
    from oqcore.hazard.gsim.modifiable import ADJUSTMENTS
    here = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim",
                        "ModifiableGMPE", "arguments.json")
    with open(here) as f:
        tables = "\n".join(json.load(f).values())
    untested = [name for name in ADJUSTMENTS if name not in tables]
    assert untested == ["set_total_std_as_tau_plus_delta", "m9_basin_term"]


@pytest.mark.parametrize("entry, message", [
    ('"PGV" = {gmpe.BooreEtAl2014 = {}}', "not a conditional model"),
    ('"IA" = {gmpe.AbrahamsonBhasin2020PGA = {}}', "not defined for IA"),
    ('"XX" = {gmpe.AbrahamsonBhasin2020PGA = {}}', "unknown IMT 'XX'"),
])
def test_bad_conditional_models(registry, entry, message):
    text = AK + "[ModifiableGMPE.conditional_gmpe]\n" + entry
    with pytest.raises(InvalidInput, match=message):
        parse_gsim(text, registry)


def test_general_abrahamson_bhasin_picks_the_period_per_context(registry):
    from oqcore.hazard.gsim.abrahamson_bhasin_2020 import TREF
    model = parse_gsim("AbrahamsonBhasin2020", registry)
    ctx = make_context(3, mag=[4.0, 6.0, 8.0], rrup=10.0, vs30=425.0)
    base = {str(SA(t)): (np.full(3, np.log(t)), np.zeros(3), np.zeros(3), np.zeros(3))
            for t in TREF}
    mean = model.compute_conditional(ctx, base)[0]
    lone = {k: (np.zeros(3),) * 4 for k in base}
    offset = model.compute_conditional(ctx, lone)[0]
    f1 = (mean - offset) / np.log([0.28, 0.95, 2.8])
    np.testing.assert_allclose(f1, [0.799, 0.799 + (0.654 - 0.799) * 0.4, 0.654])
    with pytest.raises(InvalidInput, match="conditional model"):
        model.get_mean_stds(ctx, [IMT.from_string("PGV")])


# ------------------------------------------------------------------ MultiGMPE
MULTI = '[MultiGMPE."PGA".AkkarBommer2010]\n[MultiGMPE."SA(1)".SadighEtAl1997]'


def test_multi_gmpe_uses_each_imt_model(registry):
    multi = parse_gsim(MULTI, registry)
    ctx = _ctx()
    imts = [IMT.from_string("SA(1.0)"), IMT.from_string("PGA")]
    got = multi.get_mean_stds(ctx, imts)
    ab = parse_gsim("AkkarBommer2010", registry).get_mean_stds(ctx, imts[1:])
    sa = parse_gsim("SadighEtAl1997", registry).get_mean_stds(ctx, imts[:1])
    np.testing.assert_allclose(got[:, 1], ab[:, 0])
    np.testing.assert_allclose(got[:, 0], sa[:, 0])
    assert multi.requires == {"mag", "rake", "rjb", "rrup", "vs30"}


def test_multi_gmpe_names_an_imt_without_model(registry):
    multi = parse_gsim(MULTI, registry)
    with pytest.raises(InvalidInput, match=r"no model for SA\(0.2\)"):
        multi.get_mean_stds(_ctx(), [IMT.from_string("SA(0.2)")])


@pytest.mark.parametrize("toml, message", [
    ("[MultiGMPE]", "one model per IMT"),
    ('[MultiGMPE."PGX".AkkarBommer2010]', "unknown IMT 'PGX'"),
    ('[MultiGMPE."PGV".SadighEtAl1997]', "model of PGV cannot compute it"),
    ('[MultiGMPE."PGA".NoSuchModel]', "unknown GSIM"),
])
def test_multi_gmpe_bad_definitions(registry, toml, message):
    with pytest.raises(InvalidInput, match=message):
        parse_gsim(toml, registry)
