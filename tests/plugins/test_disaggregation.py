"""The disaggregation calculator on its demo job: consistency of the matrices with the
hazard curves, the traditional form, worker-count independence, exports and extract."""
import csv
import os

import numpy as np
import pytest

from oqcore.datastore import DataStore
from oqcore.errors import InvalidInput
from oqcore.export import export
from oqcore.extract import extract, from_npz, to_npz_bytes
from oqcore.hazard.disagg import KINDS
from tests.conftest import run_engine_job

DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "demos", "disaggregation",
                    "job.ini")


def run_demo(tmp_path, distribute, overrides=None):
    return run_engine_job(DEMO, str(tmp_path / distribute), distribute, overrides)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    eng, job_id, status = run_demo(tmp_path_factory.mktemp("disagg"), "processpool")
    assert status == "complete", eng.db.get_job(job_id)["traceback"]
    return eng, job_id


def test_same_bins_with_one_or_two_workers(tmp_path, demo):
    eng_pool, jid_pool = demo
    eng_one, jid_one, status = run_demo(tmp_path, "no")
    assert status == "complete"
    with DataStore(eng_pool.datastore_path(jid_pool)) as a, \
            DataStore(eng_one.datastore_path(jid_one)) as b:
        for key in ["disagg-rlzs/%s" % k for k in KINDS] + ["poe4", "hmap3"]:
            np.testing.assert_allclose(a[key][()], b[key][()], rtol=1e-12, atol=0)


def test_matrices_sum_to_the_hazard_at_the_level(tmp_path):
    """With iml_disagg on a level of the curves, the rates of all the bins of a site
    add up to the rate of the hazard curve at that level, for every kind."""
    levels = np.exp(np.linspace(np.log(0.01), np.log(2.0), 20))
    iml = float(levels[8])
    eng, job_id, status = run_demo(tmp_path, "no", overrides={
        "intensity_measure_types_and_levels": '{"PGA": %s}' % levels.tolist(),
        "iml_disagg": "{'PGA': %r}" % iml, "poes_disagg": ""})
    assert status == "complete", eng.db.get_job(job_id)["traceback"]
    with eng.open_datastore(job_id) as ds:
        T = 50.0
        curve = ds["hcurves-rlzs"][:, 0, 0, 8]  # (N,) PoE at the level
        rate = -np.log1p(-curve) / T
        for kind in KINDS:
            poes = ds["disagg-rlzs/" + kind][()]  # (N, *bins, M, P, Z)
            rates = -np.log1p(-poes) / T
            total = rates.reshape(len(rates), -1).sum(axis=1)
            np.testing.assert_allclose(total, rate, rtol=1e-9)
        np.testing.assert_allclose(ds["poe4"][:, 0, 0, 0], curve, rtol=1e-9)
        np.testing.assert_allclose(ds["disagg-poes"][:, 0, 0], curve, rtol=1e-6)
        # disagg_by_src: per source, the bins add up to mean_rates_by_src at the level
        by_src = ds["mean_rates_by_src"][:, 0, 8]  # (N, Nsrc)
        src_ids = ds.labels("mean_rates_by_src")["src_id"]
        for s in range(2):
            mdbs = ds["mean_disagg_by_src/%d" % s][()]  # (Nsrc, Ma, D, E, M)
            assert ds.labels("mean_disagg_by_src/%d" % s)["source_id"] == src_ids
            np.testing.assert_allclose(mdbs.sum(axis=(1, 2, 3))[:, 0], by_src[s],
                                       rtol=1e-9)
        aw = extract(ds, "disagg_by_src?site_id=1&imt=PGA", eng.registry)
        assert aw.array.shape == ds["mean_disagg_by_src/1"].shape
        assert aw.shape_descr == ["source_id", "mag", "dist", "eps", "imt"]
        assert aw.source_id.tolist() == [s.encode() for s in src_ids]
        np.testing.assert_allclose(aw.iml, [iml])
        with pytest.raises(InvalidInput, match="out of range"):
            extract(ds, "disagg_by_src?site_id=7", eng.registry)
        files = export(eng.registry, ds, "mean_disagg_by_src", "csv", str(tmp_path))
        assert sorted(os.path.basename(f) for f in files) == [
            "mean_disagg_by_src-%d_%d.csv" % (s, job_id) for s in (0, 1)]
        with open(files[0], newline="") as f:
            rows = list(csv.reader(f))
        assert rows[1] == ["source_id", "mag", "dist", "eps", "imt", "afoe"]
        assert "iml_disagg={'PGA': %r}" % iml in rows[0][-1]
        assert {r[0] for r in rows[2:]} == {"apennine_zone", "coastal_fault"}


def test_traditional_form(demo):
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        for kind in ("Mag_Dist_Eps", "TRT", "Lon_Lat"):
            plain = extract(ds, "disagg?kind=%s&site_id=1&spec=rlzs" % kind, eng.registry)
            trad = extract(ds, "disagg?kind=%s&site_id=1&spec=rlzs-traditional" % kind,
                           eng.registry)
            assert bool(trad.traditional) and not bool(plain.traditional)
            nbins = len(plain.shape_descr) - 2
            sums = trad.array.sum(axis=tuple(range(nbins)))  # (M, P): a single rlz
            np.testing.assert_allclose(sums, 1.0, rtol=1e-9)
            total = ds["poe4"][1][..., 0]  # (M, P)
            np.testing.assert_allclose(
                trad.array, np.log1p(-plain.array) / np.log1p(-total), rtol=1e-9)
            # the rate form: 1 - exp(-T * rate) per bin, the rates summing to the total
            rates = -np.log1p(-plain.array)
            np.testing.assert_allclose(rates.sum(axis=tuple(range(nbins))),
                                       -np.log1p(-total), rtol=1e-9)


def test_seed_example_shapes(demo):
    """The rest-api.rst example: Mag_Dist with 4 magnitude and 21 distance bins."""
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        aw = extract(ds, "disagg?kind=Mag_Dist&imt=PGA&site_id=0&poe_id=0"
                         "&spec=rlzs-traditional", eng.registry)
        assert len(aw.mag) == 4 and len(aw.dist) == 21
        assert aw.array.shape == (4, 21, 1, 1)
        np.testing.assert_allclose(aw.mag, [5.5, 6.5, 7.5, 8.5])
        assert aw.shape_descr == ["mag", "dist", "imt", "poe"]
        assert aw.extra == ["rlz0"] and aw.poe == [0.1] and aw.imt == ["PGA"]
        assert list(aw.to_dict())[:5] == ["kind", "imt", "site_id", "poe_id", "spec"]


def test_trt_kinds_survive_npz(demo):
    """What the REST route sends: TRT kinds encode and decode."""
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        aw = extract(ds, "disagg?kind=TRT_Mag_Dist&site_id=0&spec=rlzs", eng.registry)
        back = from_npz(to_npz_bytes(aw))
        assert [t.decode() if isinstance(t, bytes) else t for t in back.trt] == [
            "Active Shallow Crust", "Stable Continental Crust"]
        np.testing.assert_array_equal(back.array, aw.array)
        assert back.array.shape == (2, 4, 21, 2, 2)


def test_bad_queries(demo):
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        for spec, match in [
                ("disagg?site_id=0&spec=rlzs", "missing kind"),
                ("disagg?kind=Mag&spec=rlzs", "missing site_id"),
                ("disagg?kind=Magnitude&site_id=0&spec=rlzs", "was not computed"),
                ("disagg?kind=Mag&site_id=9&spec=rlzs", "out of range"),
                ("disagg?kind=Mag&site_id=0&spec=rlzs&imt=PGV", "unknown IMTs"),
                ("disagg?kind=Mag&site_id=0&spec=rlzs&poe_id=5", "poe_id=5"),
                ("disagg?kind=Mag&site_id=0&spec=other", "spec=other"),
                ("disagg?kind=Mag&site_id=0&spec=stats", "single realization")]:
            with pytest.raises(InvalidInput, match=match):
                extract(ds, spec, eng.registry)


def test_disagg_layer(demo):
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        aw = extract(ds, "disagg_layer?kind=Mag&kind=TRT", eng.registry)
        arr = aw.array
        assert len(arr) == 2
        names = arr.dtype.names
        assert "Mag-PGA-0.1" in names and "TRT-SA(0.2)-0.02" in names
        assert "iml-PGA-0.1" in names
        np.testing.assert_allclose(arr["Mag-PGA-0.1"][0],
                                   ds["disagg-rlzs/Mag"][0, :, 0, 0, 0], rtol=1e-6)
        assert list(aw.trt) == [b"Active Shallow Crust", b"Stable Continental Crust"]


def test_outputs_and_csv(demo, tmp_path):
    eng, job_id = demo
    names = {o["ds_key"] for o in eng.db.get_outputs(job_id)}
    assert "disagg-rlzs" in names and "disagg-stats" not in names
    with eng.open_datastore(job_id) as ds:
        files = export(eng.registry, ds, "disagg-rlzs", "csv", str(tmp_path))
        base = sorted(os.path.basename(f) for f in files)
        assert len(base) == 2 * len(KINDS)
        assert "Mag_Dist_Eps-1_%d.csv" % job_id in base
        path = os.path.join(str(tmp_path), "Mag_Dist-0_%d.csv" % job_id)
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0][0] == "#" and "mag_bin_edges=[5.0, 6.0, 7.0, 8.0, 9.0]" in rows[0][-1]
        assert "rlz_ids=[0]" in rows[0][-1]
        assert rows[1] == ["imt", "iml", "poe", "mag", "dist", "rlz0"]
        assert len(rows) == 2 + 2 * 2 * 4 * 21  # IMTs x PoEs x bins
        assert [r[0] for r in rows[2:]] == sorted(r[0] for r in rows[2:])
        poes = [float(r[2]) for r in rows[2:2 + 84 * 2]]
        assert poes[0] == 0.02 and poes[-1] == 0.1  # sorted by PoE within an IMT
        trad = export(eng.registry, ds, "disagg-rlzs-traditional", "csv", str(tmp_path))
        assert any("Mag-traditional-0_" in f for f in trad)
        npz = export(eng.registry, ds, "disagg-rlzs", "npz", str(tmp_path))
        data = np.load(npz[0])
        assert data["Mag_Dist-0"].shape == (4, 21, 2, 2, 1)


TWO_GSIMS = """<?xml version="1.0" encoding="UTF-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">
  <logicTree logicTreeID="lt">
    <logicTreeBranchSet uncertaintyType="gmpeModel" branchSetID="bs1"
                        applyToTectonicRegionType="Active Shallow Crust">
      <logicTreeBranch branchID="a"><uncertaintyModel>BooreEtAl2014</uncertaintyModel>
        <uncertaintyWeight>0.7</uncertaintyWeight></logicTreeBranch>
      <logicTreeBranch branchID="b"><uncertaintyModel>ChiouYoungs2014</uncertaintyModel>
        <uncertaintyWeight>0.3</uncertaintyWeight></logicTreeBranch>
    </logicTreeBranchSet>
    <logicTreeBranchSet uncertaintyType="gmpeModel" branchSetID="bs2"
                        applyToTectonicRegionType="Stable Continental Crust">
      <logicTreeBranch branchID="c"><uncertaintyModel>ToroEtAl2002</uncertaintyModel>
        <uncertaintyWeight>1.0</uncertaintyWeight></logicTreeBranch>
    </logicTreeBranchSet>
  </logicTree>
</nrml>
"""


def test_two_realizations_give_statistics(tmp_path):
    """Z > 1: the mean of the rates, weighted, and its CSV file."""
    gslt = tmp_path / "gslt.xml"
    gslt.write_text(TWO_GSIMS)
    eng, job_id, status = run_demo(tmp_path, "no", overrides={
        "gsim_logic_tree_file": str(gslt)})
    assert status == "complete", eng.db.get_job(job_id)["traceback"]
    with eng.open_datastore(job_id) as ds:
        best = ds["best_rlzs"][()]
        assert best.shape == (2, 2) and sorted(best[0]) == [0, 1]
        w = ds["weights"][()]
        rz = -np.log1p(-ds["disagg-rlzs/Mag_Dist"][()])   # (N, Ma, D, M, P, Z)
        mean = -np.log1p(-ds["disagg-stats/Mag_Dist"][()][..., 0])
        expected = np.einsum("nz,n...z->n...", w[best], rz)
        np.testing.assert_allclose(mean, expected, rtol=1e-9, atol=1e-300)
        aw = extract(ds, "disagg?kind=Mag&site_id=0&spec=stats", eng.registry)
        assert aw.extra == ["mean"] and not hasattr(aw, "weights")
        files = export(eng.registry, ds, "disagg-stats", "csv", str(tmp_path))
        assert any(os.path.basename(f).startswith("Mag-mean-0_") for f in files)


@pytest.mark.parametrize("overrides, match", [
    ({"poes_disagg": ""}, "needs poes"),
    ({"max_sites_disagg": "1"}, "max_sites_disagg"),
    ({"disagg_outputs": "Mag Magnitude"}, "unknown disaggregation kind"),
    ({"mag_bin_width": "0.001", "coordinate_bin_width": "0.01"}, "wider bins"),
    ({"disagg_bin_edges": "{'lon': [11, 12, 13], 'lat': [41, 42]}"}, "exactly one site"),
    ({"disagg_bin_edges": "{'mag': [7, 6]}"}, "2 increasing values"),
    ({"iml_disagg": "{'PGA': 0.1}"}, "cannot be set at the same time"),
])
def test_bad_parameters(tmp_path, overrides, match):
    """Refused before the job is created, or the job fails with a clear reason."""
    try:
        eng, job_id, status = run_demo(tmp_path, "no", overrides=overrides)
    except InvalidInput as exc:
        assert match in str(exc)
        return
    assert status == "failed"
    assert match in eng.db.get_job(job_id)["reason"]
