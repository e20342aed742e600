"""The CEUS 2020 site term of ModifiableGMPE and the NSHA23 NGA-East models (the numbers
themselves are checked against OpenQuake by the verification tables of
tests/data/gsim/ModifiableGMPE and tests/data/gsim/NGAEastAUS23_vs3000)."""
import pickle

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim import ceus2020_site, nga_east
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import PGA, PGV, SA
from oqcore.hazard.logictree import parse_gsim

PEER = "[ModifiableGMPE]\ngmpe.NGAEastUSGSSeedPEER_GP = {}\n"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _ctx(vs30):
    vs30 = np.asarray(vs30, float)
    n = len(vs30)
    return make_context(n, mag=np.full(n, 6.0), rrup=np.linspace(5.0, 150.0, n), vs30=vs30)


def test_alias_is_the_backbone_table_with_the_site_term(registry):
    alias = parse_gsim("NGAEastAUS23_vs3000", registry)
    assert str(alias) == "NGAEastAUS23_vs3000"
    spelled = parse_gsim(
        "[ModifiableGMPE]\n"
        'gmpe.NGAEastAUS2023GMPE = {table_relpath = '
        '"NGA-East_Backbone_Model.geometric.3000.mps.hdf5"}\n'
        "ceus2020_site_term = {ref_vs30 = 3000, wimp = 0.0}", registry)
    ctx = _ctx([200.0, 450.0, 760.0, 1500.0, 2600.0])
    imts = [PGA, SA(0.3), SA(1.0)]
    np.testing.assert_array_equal(alias.get_mean_stds(ctx, imts),
                                  spelled.get_mean_stds(ctx, imts))
    assert alias.REQUIRES_SITES_PARAMETERS == {"vs30"}
    assert alias.REQUIRES_DISTANCES == {"rrup"}
    again = pickle.loads(pickle.dumps(alias))
    np.testing.assert_array_equal(again.get_mean_stds(ctx, imts),
                                  alias.get_mean_stds(ctx, imts))
    with pytest.raises(InvalidInput, match="does not accept arguments"):
        parse_gsim("[NGAEastAUS23_vs3000]\nwimp = 0.5", registry)


def test_hard_rock_sites_are_not_amplified(registry):
    """At 3000 m/s the linear term vanishes (F_v = -F_760) and so does the non-linear
    one (Vs30 above Vc, or at Vref)."""
    table = parse_gsim('[NGAEastAUS2023GMPE]\ntable_relpath = '
                       '"NGA-East_Backbone_Model.geometric.3000.mps.hdf5"', registry)
    alias = parse_gsim("NGAEastAUS23_vs3000", registry)
    ctx = _ctx([3000.0, 3000.0])
    imts = [PGA, PGV, SA(0.1), SA(2.0)]
    np.testing.assert_allclose(alias.get_mean_stds(ctx, imts),
                               table.get_mean_stds(ctx, imts), rtol=1e-12, atol=1e-12)


def test_soft_sites_depend_on_the_rock_pga():
    """The non-linear term de-amplifies more under stronger rock shaking; a PGA given at
    760 m/s is first brought to hard rock (divided by 2.275)."""
    vs30 = np.array([250.0, 250.0])
    weak, strong = ceus2020_site.nonlinear_term(PGA, vs30, np.array([0.01, 0.5]), 3000.0)
    assert strong < weak < 0.0
    np.testing.assert_allclose(
        ceus2020_site.nonlinear_term(SA(0.2), vs30, np.array([0.455, 2.275]), 760.0),
        ceus2020_site.nonlinear_term(SA(0.2), vs30, np.array([0.2, 1.0]), 3000.0))
    # from 0.4 s on, Vref is ref_vs30: a 760 m/s reference gives a smaller f2
    long_760 = ceus2020_site.nonlinear_term(SA(1.0), vs30, np.array([0.2, 0.2]), 760.0)
    long_3000 = ceus2020_site.nonlinear_term(SA(1.0), vs30, np.array([0.2, 0.2]), 3000.0)
    assert np.all(np.abs(long_760) < np.abs(long_3000))


def test_impedance_weight_and_usgs_table():
    vs30 = np.array([760.0])
    C = ceus2020_site.Coeffs.F760[SA(0.1)]
    # at 760 m/s F_v is 0: the linear term is F_760 itself
    for wimp in (0.0, 0.3, 1.0):
        np.testing.assert_allclose(
            ceus2020_site.linear_term(SA(0.1), vs30, wimp),
            wimp * C["f760i"] + (1 - wimp) * C["f760g"])
    # the USGS variant uses the smoothed NGA-East F_760 (0.521 at 0.1 s, not 0.674)
    np.testing.assert_allclose(ceus2020_site.linear_term(SA(0.1), vs30, 1.0, usgs=True),
                               nga_east.Coeffs.F760[SA(0.1)]["f760i"])


@pytest.mark.parametrize("term, message", [
    ("ceus2020_site_term = {ref_vs30 = 3000, wimp = 1.5}", "wimp must be in 0-1"),
    ("ceus2020_site_term = {ref_vs30 = 1100, wimp = 0.5}", "ref_vs30 must be 760 or 3000"),
    ("ceus2020_site_term = {ref_vs30 = 3000}", "needs wimp"),
    ("ceus2020_site_term = {wimp = 0.5}", "needs ref_vs30"),
    ('ceus2020_site_term = {ref_vs30 = 3000, wimp = 0.5, usgs = "yes"}',
     "usgs must be true or false"),
    ("ceus2020_site_term = {ref_vs30 = 3000, wimp = 0.5, kind = 1}", "does not take kind"),
])
def test_bad_arguments_are_named(registry, term, message):
    with pytest.raises(InvalidInput, match=message):
        parse_gsim(PEER + term, registry)


def test_the_underlying_model_needs_a_pga(registry):
    with pytest.raises(InvalidInput, match="needs the PGA of the underlying model"):
        parse_gsim("[ModifiableGMPE]\ngmpe.AllenEtAl2012 = {}\n"
                   "ceus2020_site_term = {ref_vs30 = 760, wimp = 0.5}", registry)


def test_vs30_below_200_is_refused(registry):
    alias = parse_gsim("NGAEastAUS23_vs3000", registry)
    with pytest.raises(InvalidInput, match="vs30 >= 200"):
        alias.get_mean_stds(_ctx([150.0, 400.0]), [SA(1.0)])


def test_unknown_table_is_named(registry):
    with pytest.raises(InvalidInput, match="unknown table 'nope'"):
        parse_gsim('[NGAEastAUS2023GMPE]\ntable_relpath = "nope.hdf5"', registry)
    with pytest.raises(InvalidInput, match="needs the argument table_relpath"):
        parse_gsim("NGAEastAUS2023GMPE", registry)
