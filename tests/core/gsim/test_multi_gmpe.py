"""MultiGMPE: one model per IMT (its numbers are checked against OpenQuake 3.26.2 by
tests/data/gsim/MultiGMPE; these tests cover the choice of model and the errors)."""
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim

TWO = '[MultiGMPE."PGA".AkkarBommer2010]\n[MultiGMPE."SA(1)".SadighEtAl1997]'


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _ctx(n=4):
    rng = np.random.default_rng(1)
    return make_context(n, mag=rng.uniform(5, 7.5, n), rake=rng.uniform(-180, 180, n),
                        rjb=rng.uniform(1, 150, n), rrup=rng.uniform(2, 150, n),
                        vs30=rng.uniform(200, 1200, n))


def test_each_imt_uses_its_own_model(registry):
    multi = parse_gsim(TWO, registry)
    ctx = _ctx()
    imts = [IMT.from_string("SA(1.0)"), IMT.from_string("PGA")]
    got = multi.get_mean_stds(ctx, imts)
    ab = parse_gsim("AkkarBommer2010", registry).get_mean_stds(ctx, imts[1:])
    sa = parse_gsim("SadighEtAl1997", registry).get_mean_stds(ctx, imts[:1])
    np.testing.assert_allclose(got[:, 1], ab[:, 0])
    np.testing.assert_allclose(got[:, 0], sa[:, 0])
    assert multi.requires == {"mag", "rake", "rjb", "rrup", "vs30"}


def test_an_imt_without_model_is_named(registry):
    multi = parse_gsim(TWO, registry)
    with pytest.raises(InvalidInput, match=r"no model for SA\(0.2\)"):
        multi.get_mean_stds(_ctx(), [IMT.from_string("SA(0.2)")])


@pytest.mark.parametrize("toml, message", [
    ("[MultiGMPE]", "one model per IMT"),
    ('[MultiGMPE."PGX".AkkarBommer2010]', "unknown IMT 'PGX'"),
    ('[MultiGMPE."PGV".SadighEtAl1997]', "model of PGV cannot compute it"),
    ('[MultiGMPE."PGA".NoSuchModel]', "unknown GSIM"),
])
def test_bad_definitions(registry, toml, message):
    with pytest.raises(InvalidInput, match=message):
        parse_gsim(toml, registry)
