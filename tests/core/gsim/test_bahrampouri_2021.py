"""Bahrampouri et al. (2021): the volcanic-front path terms (values: verification tables)."""
import numpy as np

from oqcore.hazard.gsim.bahrampouri_2021 import BahrampouriEtAl2021SInter, volcanic_terms
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.imt import IMT


def test_paths_away_from_japan_have_no_volcanic_terms():
    # Cali, Colombia (event_based/case_26)
    out = volcanic_terms(np.array([-77.0]), np.array([3.0]), np.array([-76.5]),
                         np.array([3.4]), np.array([60.0]))
    assert all(float(x[0]) == 0.0 for x in out)


def test_a_path_across_the_honshu_front():
    # epicentre off the Pacific coast, site in the Sea of Japan side (back-arc)
    d_a, d_b, c_m, c_k = volcanic_terms(np.array([143.0]), np.array([38.0]),
                                        np.array([139.5]), np.array([38.5]),
                                        np.array([300.0]))
    assert c_m[0] == 1.0 and c_k[0] == 0.0
    assert abs(d_a[0] + d_b[0] - 300.0) < 1e-9
    assert 0.0 < d_b[0] < 3.0   # the distance to the front, in degrees


def test_each_context_is_evaluated_alone():
    # the same context gives the same value whatever the other contexts of the call
    ctx = make_context(2, mag=7.0, ztor=10.0, rrup=[80.0, 300.0], vs30=400.0,
                       hypo_lon=[143.0, -77.0], hypo_lat=[38.0, 3.0],
                       lon=[139.5, -76.5], lat=[38.5, 3.4])
    gsim = BahrampouriEtAl2021SInter()
    both = gsim.get_mean_stds(ctx, [IMT("IA")])
    alone = gsim.get_mean_stds(ctx[:1], [IMT("IA")])
    np.testing.assert_array_equal(both[:, :, :1], alone)
