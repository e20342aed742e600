"""Micro-benchmarks: contexts evaluated per second by three GSIMs (not run by CI).

Run with ``tox -e bench`` or ``pytest -m bench --benchmark-only tests/bench``.
100,000 random contexts x 10 IMTs, as in the GSIM issue.
"""
import numpy as np
import pytest

from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.library import builtin_gsims
from oqcore.hazard.imt import IMT

N = 100_000
PERIODS = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 3.0]


def contexts(n: int = N, seed: int = 42) -> np.recarray:
    """Random contexts with every field the three models need."""
    rng = np.random.default_rng(seed)
    rrup = rng.uniform(0, 300, n)
    return make_context(
        n, mag=rng.uniform(4, 8.5, n), rake=rng.uniform(-180, 180, n),
        dip=rng.uniform(10, 90, n), ztor=rng.uniform(0, 20, n), width=rng.uniform(5, 30, n),
        hypo_depth=rng.uniform(5, 30, n), rrup=rrup, rjb=np.maximum(rrup - 5, 0),
        rx=rng.uniform(-100, 100, n), ry0=rng.uniform(0, 50, n), rhypo=rrup + 2,
        vs30=np.exp(rng.uniform(np.log(150), np.log(1500), n)),
        vs30measured=rng.random(n) < .5, z1pt0=rng.uniform(10, 500, n),
        z2pt5=rng.uniform(.5, 5, n), backarc=rng.random(n) < .3)


@pytest.mark.bench
@pytest.mark.parametrize("model", ["BooreEtAl2014", "ChiouYoungs2014",
                                   "AbrahamsonEtAl2015SInter"])
def test_gsim_throughput(benchmark, model):
    gsim = builtin_gsims()[model]()
    imts = [IMT("PGA") if p == 0 else IMT("SA", p) for p in PERIODS]
    ctx = contexts()
    out = benchmark(gsim.get_mean_stds, ctx, imts)
    assert out.shape == (4, len(imts), N)
    assert np.isfinite(out[0]).all()
    benchmark.extra_info["contexts_per_second"] = N / benchmark.stats.stats.median
