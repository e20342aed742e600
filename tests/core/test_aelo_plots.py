"""The PNG pictures of an AELO calculation."""
import numpy as np

from oqcore.aelo import plots

PNG = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_governing_mce_png():
    recs = [dict(custom_site_id="s1", period=t, MCE=m, ProbMCE=m * 1.1, DetMCE=m * 0.9,
                 DLL=0.5) for t, m in ((0.0, 0.4), (0.2, 1.0), (1.0, 0.6))]
    png = plots.governing_mce_png(recs)
    assert png[:8] == PNG and _size(png) == (800, 500)


def test_hcurves_and_sources_png():
    imtls = {"PGA": np.logspace(-2, 0.5, 20), "SA(1.0)": np.logspace(-2, 0.5, 20)}
    curves = np.array([np.exp(-np.arange(20) / 3.0)] * 2) * 0.5
    png = plots.hcurves_png(imtls, curves, 50.0, "site")
    assert png[:8] == PNG
    rates = np.random.default_rng(1).random((2, 20, 12)) * 1e-3
    rates[:, :, 3] = 0  # a source without hazard is left out, not an error
    png = plots.disagg_by_src_png(imtls, rates, ["src%d" % i for i in range(12)])
    assert png[:8] == PNG and _size(png) == (1000, 400)
