"""``oq plot``: every example of the "Plotting" section of rest-api.rst draws a PNG on a
real classical calculation (6 realizations, 9 sites, 4 IMTs); the figures have the
axes, scales, legends and curves described in extract-specs.md section 8; kinds the
calculation lacks are clear errors."""
from __future__ import annotations

import os

import numpy as np
import pytest

from oqcore.errors import InvalidInput
from tests.conftest import DATA, oq_environment, run_oq

pytest.importorskip("matplotlib")

JOB = DATA / "client" / "classical6" / "job.ini"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def calc(tmp_path_factory):
    """(environment, settings) of a data directory holding the 6-realization case."""
    from oqcore.config import Settings
    tmp = tmp_path_factory.mktemp("plot")
    env = oq_environment(tmp)
    run = run_oq(["engine", "--run", JOB, "-q"], env)
    assert run.returncode == 0, run.stderr
    old = dict(os.environ)
    os.environ.update(OQ_DATADIR=env["OQ_DATADIR"], OQ_CONFIG_FILE=env["OQ_CONFIG_FILE"])
    try:
        settings = Settings.load()
    finally:
        os.environ.clear()
        os.environ.update(old)
    return env, settings


@pytest.fixture
def extractor(calc):
    from oqcore.extract import Extractor
    with Extractor(-1, settings=calc[1]) as ex:
        yield ex


def labels(ax) -> list[str]:
    return [line.get_label() for line in ax.get_lines()]


def draw_and_save(spec, extractors, path):
    """The figure of ``spec``, also saved as a PNG at ``path``."""
    from oqcore.plot import draw
    fig = draw(spec, extractors)
    fig.savefig(path)
    with open(path, "rb") as f:
        assert f.read(8) == PNG
    return fig


# (spec, curve labels of the first axes; the calculation ID is prefixed)
HCURVES = [
    ("hcurves?kind=mean&imt=PGA&site_id=0", ["mean"]),
    ("hcurves?kind=rlzs&imt=PGA", ["rlz-%03d" % r for r in range(6)]),
    ("hcurves?kind=stats&imt=PGA", ["mean", "quantile-0.16", "quantile-0.5",
                                    "quantile-0.84"]),
    ("hcurves?kind=rlzs&kind=mean&imt=PGA", ["rlz-%03d" % r for r in range(6)] + ["mean"]),
    ("hcurves?kind=quantile-0.5&kind=mean&imt=PGA", ["quantile-0.5", "mean"]),
    ("hcurves?kind=rlz-0&kind=rlz-2&kind=rlz-5&imt=PGA", ["rlz-000", "rlz-002", "rlz-005"]),
    ("hcurves?kind=mean&imt=PGA", ["mean"]),  # site_id defaults to 0
]


@pytest.mark.parametrize("spec, curves", HCURVES)
def test_hcurves(spec, curves, extractor, tmp_path):
    fig = draw_and_save(spec, [extractor], tmp_path / "h.png")
    [ax] = fig.axes
    cid = extractor.calc_id
    assert labels(ax) == ["%d_%s" % (cid, c) for c in curves] + ["poe=0.1", "poe=0.02"]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_xlabel() == "PGA (g)" and ax.get_ylabel() == "PoE in 50 years"
    assert ax.get_legend() is not None and "site 0" in ax.get_title()
    levels = np.geomspace(0.005, 2.0, 15)
    mean = extractor.get("hcurves?kind=mean&imt=PGA&site_id=0").mean[0, 0]
    for line, name in zip(ax.get_lines(), curves):
        x, y = line.get_data()
        np.testing.assert_allclose(x, levels, rtol=1e-9)
        assert np.nanmax(y) <= 1 and np.any(y > 0)
        if name == "mean":  # the plotted curve is the extracted one (zeros are gaps)
            np.testing.assert_allclose(y, np.where(mean > 0, mean, np.nan), rtol=1e-6)


def test_hcurves_of_another_site_and_every_imt(extractor, tmp_path):
    fig = draw_and_save("hcurves?kind=mean&site_id=4", [extractor], tmp_path / "h.png")
    assert [ax.get_xlabel() for ax in fig.axes] == ["PGA (g)", "SA(0.1) (g)",
                                                     "SA(0.5) (g)", "SA(1.0) (g)"]
    assert all("site 4" in ax.get_title() for ax in fig.axes)


def test_hmaps(extractor, tmp_path):
    fig = draw_and_save("hmaps?kind=mean&imt=PGA", [extractor], tmp_path / "m.png")
    maps = [ax for ax in fig.axes if ax.get_xlabel() == "longitude"]
    assert len(maps) == 2 and len(fig.axes) == 4  # one map + colour bar per PoE
    expected = extractor.get("hmaps?kind=mean&imt=PGA").mean[:, 0]  # (N, P)
    for p, ax in enumerate(maps):
        assert "poe=%g" % [0.1, 0.02][p] in ax.get_title()
        [points] = ax.collections
        assert points.get_offsets().shape == (9, 2)
        np.testing.assert_allclose(points.get_array(), expected[:, p], rtol=1e-6)


def test_hmaps_difference_of_two_calculations(extractor, tmp_path):
    fig = draw_and_save("hmaps?kind=mean&imt=PGA", [extractor, extractor],
                        tmp_path / "d.png")
    [points] = fig.axes[0].collections
    assert np.all(points.get_array() == 0) and "maxdiff=0" in fig.axes[0].get_title()


def test_uhs(extractor, tmp_path):
    fig = draw_and_save("uhs?kind=mean&site_id=0", [extractor], tmp_path / "u.png")
    assert len(fig.axes) == 2  # one per PoE
    uhs = extractor.get("uhs?kind=mean&site_id=0").mean[0]
    for ax, poe in zip(fig.axes, ["0.100000", "0.020000"]):
        [line] = ax.get_lines()
        assert line.get_label() == "%d_mean_spectrum" % extractor.calc_id
        x, y = line.get_data()
        assert list(x) == [0.0, 0.1, 0.5, 1.0] and ax.get_ylabel() == "g"
        np.testing.assert_allclose(y, [uhs[poe][imt] for imt in uhs.dtype[poe].names],
                                   rtol=1e-6)


@pytest.mark.parametrize("spec, message", [
    ("hcurves?kind=quantile-0.9&imt=PGA", "kind=quantile-0.9: the calculation has mean, "
     "quantile-0.16, quantile-0.5, quantile-0.84 and 6 realization(s)"),
    ("hcurves?kind=max&imt=PGA", "kind=max"),
    ("hcurves?kind=rlz-6&imt=PGA", "rlz-6"),
    ("hmaps?kind=mean", "Missing imt= in hmaps (the calculation has PGA, SA(0.1)"),
    ("uhs?kind=mean&imt=PGA", "Invalid imt= in uhs"),
    ("gmf_data?event_id=0", "oq plot cannot draw 'gmf_data'; it draws disagg, hcurves, "
     "hmaps, rupture_info, uhs"),
])
def test_errors(spec, message, extractor):
    from oqcore.plot import draw
    with pytest.raises(InvalidInput) as info:
        draw(spec, [extractor])
    assert message in str(info.value)


def test_oq_plot_command(calc, tmp_path):
    env = calc[0]
    out = tmp_path / "uhs.png"
    run = run_oq(["plot", "uhs?kind=mean", "-1", "--out", out], env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(out) and out.read_bytes()[:8] == PNG
    # without --out and without a display: a default name in the working directory
    env = dict(env)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    run = run_oq(["plot", "hcurves?kind=mean&imt=PGA", "-1"], env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert os.path.basename(run.stdout.strip()).startswith("hcurves_kind-mean_imt-PGA_")
    examples = run_oq(["plot", "examples"], env)
    assert examples.returncode == 0 and "oq plot 'uhs?kind=mean&site_id=0' ID" in (
        examples.stdout)
    missing = run_oq(["plot", "uhs?kind=mean"], env)
    assert missing.returncode == 1 and "needs a calculation ID" in missing.stderr
    bad = run_oq(["plot", "hcurves?kind=quantile-0.9&imt=PGA", "-1"], env, cwd=tmp_path)
    assert bad.returncode == 1 and "error: kind: kind=quantile-0.9" in bad.stderr
    assert "Traceback" not in bad.stderr


# ------------------------------------------------------------------ disagg, ruptures
class ContractExtractor:
    """An extractor answering disagg and rupture_info with the members, shapes and
    dtypes documented in extract-specs.md 3.11 and 4.8 (the disaggregation and event
    based calculators are plugins of their own; these tests pin the drawing code to the
    contract)."""

    calc_id = 7

    def __init__(self):
        self.asked: list[str] = []

    def get(self, spec):
        from oqcore.extract import ArrayWrapper, parse_query, split_spec
        self.asked.append(spec)
        name, _, qs = split_spec(spec)
        query = parse_query(qs)
        if name == "sitecol":
            arr = np.zeros(2, [("sids", np.uint32), ("lon", float), ("lat", float)])
            arr["lon"], arr["lat"] = [0.0, 0.5], [0.0, 0.5]
            return ArrayWrapper(arr)
        if name == "rupture_info":
            dt = [("rup_id", np.int64), ("source_id", "S75"), ("multiplicity", np.uint32),
                  ("mag", np.float32), ("centroid_lon", np.float32),
                  ("centroid_lat", np.float32), ("centroid_depth", np.float32),
                  ("trt", "S50"), ("strike", np.float32), ("dip", np.float32),
                  ("rake", np.float32)]
            arr = np.zeros(5, dt)
            arr["rup_id"] = range(5)
            arr["mag"] = [5.0, 5.5, 6.0, 6.5, 7.0]
            arr["multiplicity"] = [1, 3, 1, 2, 1]
            arr["centroid_lon"] = np.linspace(-0.5, 0.5, 5)
            arr["centroid_lat"] = np.linspace(0.2, -0.2, 5)
            keep = arr["mag"] >= float(query.get("min_mag", [0])[0])
            return ArrayWrapper(arr[keep], {"investigation_time": 50.0, "boundaries": b""})
        assert name == "disagg"
        kind = query["kind"][0]
        bins = {"mag": [5.5, 6.5, 7.5], "dist": [12.5, 37.5], "eps": [-2.0, 0.0, 2.0],
                "trt": [b"Active Shallow Crust", b"Stable Shallow Crust"]}
        dims = [d.lower() for d in kind.split("_")]
        shape = [len(bins[d]) for d in dims] + [1, 1, 2]
        array = np.arange(np.prod(shape), dtype=float).reshape(shape) / 100
        attrs = {k: v for k, v in query.items()}
        attrs.update({d: np.array(bins[d]) for d in dims})
        attrs.update(imt=["PGA"], poe=[0.02], traditional=False,
                     shape_descr=dims + ["imt", "poe"], weights=[0.5, 0.5])
        return ArrayWrapper(array, attrs, extra=["rlz0", "rlz1"])


@pytest.mark.parametrize("kind, images", [("Mag", 0), ("TRT", 0), ("Mag_Dist", 1),
                                          ("Mag_Dist_Eps", 3)])
def test_disagg(kind, images, tmp_path):
    ex = ContractExtractor()
    spec = "disagg?kind=%s&imt=PGA&spec=rlzs" % kind
    fig = draw_and_save(spec, [ex], tmp_path / "d.png")
    assert ex.asked == ["disagg?kind=%s&imt=PGA&spec=rlzs&site_id=0&poe_id=0" % kind]
    plots = [ax for ax in fig.axes if ax.get_images()] or fig.axes
    dims = kind.lower().split("_")
    if images == 0:  # bars over the bin centres
        [ax] = plots
        bars = ax.patches
        answer = ex.get("disagg?kind=%s" % kind)
        assert [b.get_height() for b in bars] == list(answer.array[:, 0, 0, 0])
        assert ax.get_xlabel() == dims[0] and ax.get_ylabel() == "PoE"
        assert [t.get_text() for t in ax.get_xticklabels()] == (
            ["5.5", "6.5", "7.5"] if kind == "Mag" else
            ["Active Shallow Crust", "Stable Shallow Crust"])
        assert "poe=0.02" in ax.get_title() and "rlz0" in ax.get_title()
    else:
        assert len(plots) == images
        for ax in plots:
            [img] = ax.get_images()
            assert img.get_array().shape == (2, 3)  # dist x mag
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("mag", "dist")
        if images == 3:
            assert [ax.get_title().split("\n")[-1] for ax in plots] == [
                "eps=-2", "eps=0", "eps=2"]


def test_disagg_of_two_calculations_side_by_side(tmp_path):
    fig = draw_and_save("disagg?kind=Mag&spec=stats", [ContractExtractor(),
                                                        ContractExtractor()],
                        tmp_path / "d.png")
    [ax] = fig.axes
    assert len(ax.patches) == 6 and [t.get_text() for t in ax.get_legend().get_texts()] \
        == ["calc_7", "calc_7"]


def test_disagg_needs_a_kind():
    from oqcore.plot import draw
    with pytest.raises(InvalidInput, match="Missing kind= in disagg"):
        draw("disagg?site_id=0", [ContractExtractor()])


def test_rupture_map(tmp_path):
    ex = ContractExtractor()
    fig = draw_and_save("rupture_info?min_mag=5.5", [ex], tmp_path / "r.png")
    ax = fig.axes[0]
    rups, sites = ax.collections
    assert rups.get_offsets().shape == (4, 2)
    np.testing.assert_allclose(rups.get_array(), [5.5, 6.0, 6.5, 7.0])
    assert sites.get_offsets().shape == (2, 2)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "calc_7: 4 ruptures", "calc_7: 2 sites"]
    assert ex.asked[0] == "rupture_info?min_mag=5.5&boundaries=no"


def test_without_matplotlib(monkeypatch, extractor):
    import sys

    from oqcore.plot import draw
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    with pytest.raises(InvalidInput, match=r"pip install 'oqcore\[plot\]'"):
        draw("hcurves?kind=mean&imt=PGA", [extractor])


def test_hcurves_of_two_calculations(extractor, tmp_path):
    fig = draw_and_save("hcurves?kind=mean&kind=quantile-0.84&imt=SA(0.5)",
                        [extractor, extractor], tmp_path / "two.png")
    [ax] = fig.axes
    cid = extractor.calc_id
    assert labels(ax) == ["%d_mean" % cid, "%d_quantile-0.84" % cid] * 2 + [
        "poe=0.1", "poe=0.02"]
    assert ax.get_xlabel() == "SA(0.5) (g)"


def _extractor_of(job, tmp_path):
    """An Extractor on the calculation of ``job`` run in a private data directory."""
    from oqcore.config import Settings
    from oqcore.extract import Extractor
    env = oq_environment(tmp_path)
    run = run_oq(["engine", "--run", str(job), "-q"], env)
    assert run.returncode == 0, run.stderr
    settings = Settings.load(datadir=env["OQ_DATADIR"],
                             db_file=os.path.join(env["OQ_DATADIR"], "db.sqlite3"))
    return Extractor(-1, settings=settings)


@pytest.mark.parametrize("kind, dims", [("Mag", 1), ("Mag_Dist", 2), ("Mag_Dist_Eps", 3)])
def test_disagg_of_a_real_calculation(kind, dims, tmp_path):
    """The disaggregation demo (one realization: the extracted array has no Z axis)."""
    job = os.path.join(os.path.dirname(__file__), "..", "..", "demos", "disaggregation",
                       "job.ini")
    with _extractor_of(job, tmp_path) as ex:
        spec = "disagg?kind=%s&imt=PGA&site_id=0&poe_id=0&spec=rlzs" % kind
        fig = draw_and_save(spec, [ex], tmp_path / "disagg.png")
        images = [im for ax in fig.axes for im in ax.get_images()]
        if dims == 1:
            assert not images and fig.axes[0].patches  # bars
        else:
            assert max(im.get_array().max() for im in images) > 0
            assert len(images) == (1 if dims == 2 else len(ex.get(spec)["eps"]))


def test_rupture_map_of_a_real_calculation(tmp_path):
    job = DATA / "qa_gmf" / "event_based_case_2" / "input" / "job.ini"
    with _extractor_of(job, tmp_path) as ex:
        info = ex.get("rupture_info?min_mag=5").array
        fig = draw_and_save("rupture_info?min_mag=5", [ex], tmp_path / "rup.png")
        points = fig.axes[0].collections[0].get_offsets()
        assert len(points) == len(info) > 0
