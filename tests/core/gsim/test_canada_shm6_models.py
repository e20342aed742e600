"""CanadaSHM6 subduction and stable-crust models: the period range, the extrapolation
beyond the equations' own periods, the submodel argument."""
import numpy as np
import pytest

from oqcore.hazard.gsim import canada_shm6_subduction as cs
from oqcore.hazard.gsim.base import UnknownIMT, make_context
from oqcore.hazard.imt import IMT

MODELS = [cs.CanadaSHM6_InSlab_AtkinsonBoore2003SSlabCascadia30,
          cs.CanadaSHM6_InSlab_GarciaEtAl2005SSlab55,
          cs.CanadaSHM6_InSlab_ZhaoEtAl2006SSlabCascadia30,
          cs.CanadaSHM6_Interface_ZhaoEtAl2006SInterCascadia,
          cs.CanadaSHM6_Interface_GhofraniAtkinson2014Cascadia]


def _ctx(n=3):
    return make_context(n, mag=np.array([6.0, 7.0, 8.0]), rrup=np.array([30.0, 80.0, 150.0]),
                        rhypo=np.array([60.0, 90.0, 160.0]), vs30=np.array([300.0, 760.0, 1500.0]),
                        backarc=np.array([False, True, False]), hypo_depth=30.0)


@pytest.mark.parametrize("cls", MODELS)
@pytest.mark.parametrize("period", [0.04, 10.5])
def test_sa_outside_0_05_to_10_s_is_refused(cls, period):
    with pytest.raises(UnknownIMT, match="0.05 to 10"):
        cls().get_mean_stds(_ctx(), [IMT("SA", period)])


@pytest.mark.parametrize("cls", MODELS)
def test_no_arguments(cls):
    with pytest.raises(Exception, match="does not accept"):
        cls(sigma_mu_epsilon=1.0)


def test_bounded_imt():
    assert cs.bounded_imt("m", IMT("SA", 7.0), 0.05, 5.0) == (IMT("SA", 5.0), IMT("SA", 7.0))
    assert cs.bounded_imt("m", IMT("SA", 0.05), 0.07, 9.09) == (IMT("SA", 0.07),
                                                                IMT("SA", 0.05))
    assert cs.bounded_imt("m", IMT("SA", 1.0), 0.07, 9.09) == (IMT("SA", 1.0), None)
    assert cs.bounded_imt("m", IMT("PGA"), 0.07, 9.09) == (IMT("PGA"), None)


def test_extrapolation_follows_the_reference_model():
    """Beyond 5 s the Zhao model moves as the BC Hydro reference (rhypo = rrup)."""
    model = cs.CanadaSHM6_InSlab_ZhaoEtAl2006SSlabCascadia55()
    ctx = _ctx()
    out = model.get_mean_stds(ctx, [IMT("SA", 5.0), IMT("SA", 10.0)])
    ref = cs.CanadaSHM6_InSlab_AbrahamsonEtAl2015SSlab55()
    ref_ctx = make_context(3, mag=ctx.mag, rhypo=ctx.rrup, vs30=ctx.vs30, backarc=ctx.backarc)
    ref_out = ref.get_mean_stds(ref_ctx, [IMT("SA", 5.0), IMT("SA", 10.0)])
    np.testing.assert_allclose(out[0, 1] - out[0, 0], ref_out[0, 1] - ref_out[0, 0],
                               rtol=1e-12)
    np.testing.assert_allclose(out[1:, 1], out[1:, 0])  # sigmas frozen at 5 s


@pytest.mark.parametrize("name, good, bad", [
    ("CanadaSHM6_StableCrust_AA13", "central", "medium"),
    ("CanadaSHM6_StableCrust_NGAEast", "07", "14")])
def test_stable_submodels(name, good, bad):
    from oqcore.hazard.gsim import canada_shm6_stable as st
    cls = getattr(st, name)
    assert cls(submodel=good).submodel == good
    with pytest.raises(Exception, match="submodel"):
        cls(submodel=bad)
    with pytest.raises(Exception, match="submodel"):
        cls()
    with pytest.raises(UnknownIMT, match="0.05 to 10"):
        cls(submodel=good).get_mean_stds(_ctx(), [IMT("SA", 0.03)])


def test_ngaeast_submodel_as_integer():
    from oqcore.hazard.gsim.canada_shm6_stable import CanadaSHM6_StableCrust_NGAEast
    assert CanadaSHM6_StableCrust_NGAEast(submodel=1).submodel == "01"
