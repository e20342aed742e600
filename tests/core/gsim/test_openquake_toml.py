"""The TOML text OpenQuake keys a model by (the draw order of a rupture's GSIMs), and the
ModifiableGMPE step apply_swiss_amplification; the expected texts are those OpenQuake
3.26.2 gives the same logic-tree branches (its ``_toml``)."""
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.hazard.gmf import gsim_draw_key
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.toml_form import openquake_toml
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim


@pytest.mark.parametrize("text, expected", [
    ("Stafford2022", "[Stafford2022]"),
    ('[BooreEtAl2014]\nregion = "CAL"\nsigma_mu_epsilon = 1e-05\nsof = false',
     '[BooreEtAl2014]\nregion = "CAL"\nsigma_mu_epsilon = 1e-5\nsof = false'),
    ("[ModifiableGMPE]\ngmpe.ECOS2009 = {}\napply_swiss_amplification = {}",
     "[ModifiableGMPE.apply_swiss_amplification]\n\n[ModifiableGMPE.gmpe.ECOS2009]"),
    ('[CampbellBozorgnia2014]\ncoeffs = {PGA = {c0 = -4.2}, "SA(1.0)" = {c0 = -8.3}}\n'
     'SJ = true', '[CampbellBozorgnia2014]\nSJ = true\n\n[CampbellBozorgnia2014.coeffs.PGA]\n'
     'c0 = -4.2\n\n[CampbellBozorgnia2014.coeffs."SA(1.0)"]\nc0 = -8.3'),
    ("[ChiouYoungs2014]\nsigma_mu_epsilon = 2.0\n[ChiouYoungs2014.mixture_model]\n"
     "factors = [0.8, 1.2]\nweights = [0.5, 0.5]", "[ChiouYoungs2014]\nsigma_mu_epsilon = 2.0"),
])
def test_draw_key_is_openquakes_toml(text, expected):
    assert gsim_draw_key(parse_gsim(text, load_registry())) == expected


def test_lists_strings_and_paths():
    text = openquake_toml("X", {"a": [1, 2.5], "b": 'it\'s "q"', "c": "/abs/dir/t.hdf5",
                                "d": None})
    assert text == '[X]\na = [ 1, 2.5,]\nb = "it\'s \\"q\\""\nc = "t.hdf5"'


def test_swiss_amplification_adds_amplfactor():
    reg = load_registry()
    plain = parse_gsim("ECOS2009", reg)
    swiss = parse_gsim("[ModifiableGMPE]\ngmpe.ECOS2009 = {}\napply_swiss_amplification = {}",
                       reg)
    assert "amplfactor" in swiss.REQUIRES_SITES_PARAMETERS
    ctx = make_context(2, mag=5.0, hypo_depth=10.0, rhypo=[12.0, 40.0],
                       amplfactor=[-1.0, 0.5])
    out = swiss.get_mean_stds(ctx, [IMT("MMI")])
    ref = plain.get_mean_stds(ctx, [IMT("MMI")])
    np.testing.assert_allclose(out[0, 0] - ref[0, 0], [-1.0, 0.5], rtol=1e-12)
    np.testing.assert_array_equal(out[1], ref[1])
