"""ModifiableGMPE's sigma_model_alatik2015: arguments and the standard deviations."""
import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.nga_east import AlAtikSigma
from oqcore.hazard.gsim.nga_east_usgs import stewart2019_phi_s2s
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim


def _gsim(args):
    return parse_gsim("[ModifiableGMPE]\ngmpe.AtkinsonBoore2006 = {}\n"
                      "sigma_model_alatik2015 = {%s}" % args, load_registry())


@pytest.mark.parametrize("args, match", [
    ('tau_model = "europe"', "tau_model must be one of"),
    ("ergodic = 1", "ergodic must be true or false"),
    ("tau_quantile = 1.5", "between 0 and 1"),
    ("sigma = 0.5", "does not take sigma")])
def test_bad_arguments(args, match):
    with pytest.raises(InvalidInput, match=match):
        _gsim(args)


def test_quantiles_and_phi_model():
    ctx = make_context(3, mag=np.array([4.8, 6.0, 7.0]), rrup=np.array([10.0, 50.0, 120.0]),
                       vs30=np.array([300.0, 1300.0, 2000.0]))
    imt = IMT("SA", 0.3)
    gsim = _gsim('phi_model = "cena", tau_quantile = 0.9, phi_ss_quantile = 0.1')
    out = gsim.get_mean_stds(ctx, [imt])
    tau, phi = AlAtikSigma("x", "global", "cena", None, 0.9, 0.1, None).tau_phi(imt, ctx.mag)
    phi = np.sqrt(phi ** 2 + stewart2019_phi_s2s(imt, ctx.vs30) ** 2)
    np.testing.assert_allclose(out[2, 0], tau)
    np.testing.assert_allclose(out[3, 0], phi)
    np.testing.assert_allclose(out[1, 0], np.hypot(tau, phi))
    assert "Inter event" in gsim.DEFINED_FOR_STANDARD_DEVIATION_TYPES
