"""The NSHMP 2014 adjustments of the NGA-West2 models and the PoE mixture of the Mean."""
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.nshmp_2014 import epistemic_adjustment
from oqcore.hazard.logictree import parse_gsim


def test_adjustment_table():
    mag = np.array([5.0, 5.0, 6.5, 6.5, 7.5, 7.5, 7.5, 6.0, 7.0])
    rrup = np.array([5.0, 50.0, 9.99, 10.0, 0.0, 20.0, 30.0, 30.0, 10.0])
    np.testing.assert_array_equal(epistemic_adjustment(mag, rrup),
                                  [0.37, 0.22, 0.25, 0.23, 0.40, 0.36, 0.33, 0.23, 0.36])


def test_mean_variant_mixes_three_branches():
    reg = load_registry()
    mean_gsim = parse_gsim("BooreEtAl2014NSHMPMean", reg)
    upper = parse_gsim("BooreEtAl2014NSHMPUpper", reg)
    assert str(mean_gsim) == "BooreEtAl2014NSHMPMean"
    assert "rrup" in mean_gsim.REQUIRES_DISTANCES
    from oqcore.hazard.gsim.base import make_context
    from oqcore.hazard.imt import IMT
    ctx = make_context(2, mag=[5.5, 7.2], rake=0.0, rjb=[3.0, 40.0], rrup=[5.0, 41.0],
                       vs30=400.0)
    imts = [IMT.from_string("PGA")]
    ms = mean_gsim.get_mean_stds(ctx, imts)
    comps = mean_gsim.poe_components(ctx, imts)  # [(weight, (4, M, N))]
    assert [w for w, _ in comps] == [0.185, 0.63, 0.185]
    np.testing.assert_allclose(comps[2][1][0], upper.get_mean_stds(ctx, imts)[0])
    np.testing.assert_allclose(comps[0][1][0][0], ms[0][0] - [0.37, 0.33])
    np.testing.assert_allclose(comps[1][1][1], ms[1])  # the stddevs are not shifted
    [(w, _)] = upper.poe_components(ctx, imts)
    assert w == 1.0


def test_bad_arguments():
    reg = load_registry()
    with pytest.raises(InvalidInput, match="gmpe_name"):
        parse_gsim('[NSHMP2014]\ngmpe_name = "Nope"\nsgn = 0', reg)
    with pytest.raises(InvalidInput, match="sgn must be"):
        parse_gsim('[NSHMP2014]\ngmpe_name = "Idriss2014"\nsgn = 2', reg)
