"""Conditional models given their conditioning model as the ``gmpe`` argument equal the
same models inside ModifiableGMPE's conditional_gmpe."""
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim


def _ctx():
    return make_context(4, mag=np.array([6.5, 7.2, 8.0, 8.8]),
                        rrup=np.array([30., 80., 150., 250.]),
                        rjb=np.array([25., 78., 149., 249.]), ztor=np.array([10., 15., 20., 25.]),
                        vs30=np.array([300., 450., 760., 1100.]), backarc=False,
                        rake=90.0, hypo_depth=20.0, dip=20.0, width=50.0, rx=10.0, ry0=0.0,
                        z1pt0=-999.0, z2pt5=-999.0)


@pytest.mark.parametrize("imt, cond, base", [
    ("IA", 'MacedoEtAl2019SInter', "KuehnEtAl2020SInter"),
    ("IA", 'MacedoEtAl2019SSlab', "KuehnEtAl2020SSlab"),
    ("PGV", "AbrahamsonBhasin2020PGA", "CampbellBozorgnia2014")])
def test_standalone_equals_modifiable(imt, cond, base):
    reg = load_registry()
    alone = parse_gsim("[%s]\ngmpe.%s = {}" % (cond, base), reg)
    inside = parse_gsim('[ModifiableGMPE]\ngmpe.%s = {}\n[ModifiableGMPE.conditional_gmpe]\n'
                        '"%s" = {gmpe.%s = {}}' % (base, imt, cond), reg)
    ctx = _ctx()
    np.testing.assert_allclose(alone.get_mean_stds(ctx, [IMT.from_string(imt)]),
                               inside.get_mean_stds(ctx, [IMT.from_string(imt)]), rtol=1e-12)
    assert alone.requires >= {"vs30", "mag", "rrup"}
    assert str(alone).startswith("[%s]" % cond)


def test_without_gmpe_is_an_error():
    reg = load_registry()
    gsim = parse_gsim("MacedoEtAl2019SInter", reg)
    with pytest.raises(InvalidInput, match="conditional model"):
        gsim.get_mean_stds(_ctx(), [IMT.from_string("IA")])


def test_gmpe_without_the_conditioning_imts():
    with pytest.raises(InvalidInput, match="does not give"):
        parse_gsim('[MacedoEtAl2019SInter]\ngmpe.AbrahamsonBhasin2020 = {}', load_registry())
