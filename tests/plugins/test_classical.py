"""The classical calculator on the demo job: worker-count independence, outputs,
exports and extract specs."""
import os

import numpy as np
import pytest

from oqcore.datastore import DataStore
from oqcore.export import export
from oqcore.extract import extract, from_npz, to_npz_bytes
from tests.conftest import run_engine_job

DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "demos", "classical", "job.ini")


def run_demo(tmp_path, distribute, overrides=None):
    eng, job_id, status = run_engine_job(DEMO, str(tmp_path / distribute), distribute,
                                         overrides)
    assert status == "complete", eng.db.get_job(job_id)["traceback"]
    return eng, job_id


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    return run_demo(tmp, "processpool")


def test_same_results_with_one_or_many_workers(tmp_path, demo):
    eng_pool, jid_pool = demo
    eng_one, jid_one = run_demo(tmp_path, "no")
    with DataStore(eng_pool.datastore_path(jid_pool)) as a, \
            DataStore(eng_one.datastore_path(jid_one)) as b:
        for key in ("hcurves-stats", "hmaps-stats"):
            np.testing.assert_array_equal(a[key][()], b[key][()])


def test_outputs_listed(demo):
    eng, job_id = demo
    names = {o["ds_key"] for o in eng.db.get_outputs(job_id)}
    assert {"hcurves", "hmaps", "uhs", "realizations", "fullreport"} <= names


def test_csv_exports(demo, tmp_path):
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        files = export(eng.registry, ds, "hcurves", "csv", str(tmp_path))
        names = sorted(os.path.basename(f) for f in files)
        assert "hazard_curve-mean-PGA_%d.csv" % job_id in names
        assert "quantile_curve-0.16-SA(0.2)_%d.csv" % job_id in names
        with open(files[0], newline="") as f:
            text = f.read()
        assert text.count("\r\n") == 6  # comment + header + 4 sites
        assert text.startswith("#,")
        xml = export(eng.registry, ds, "hcurves", "xml", str(tmp_path))
        assert all(f.endswith(".xml") for f in xml)


def test_imts_out_of_period_order_export_under_their_own_names(demo, tmp_path):
    """The stored curves follow the period order of the IMTs; a job that lists them in
    another order must still export each IMT's curve under that IMT's name."""
    eng, job_id = demo
    swapped = ('{"SA(0.2)": logscale(0.005, 3.0, 20), "PGA": logscale(0.005, 2.0, 20)}')
    eng2, job2 = run_demo(tmp_path, "no",
                          {"intensity_measure_types_and_levels": swapped})

    def curves(engine, jid, folder):
        with engine.open_datastore(jid) as ds:
            files = export(engine.registry, ds, "hcurves", "csv", str(tmp_path / folder))
        out = {}
        for f in files:
            name = os.path.basename(f).rsplit("_", 1)[0]
            out[name] = np.loadtxt(f, delimiter=",", skiprows=2)
        return out

    a, b = curves(eng, job_id, "sorted"), curves(eng2, job2, "swapped")
    assert sorted(a) == sorted(b)
    for name in a:
        np.testing.assert_allclose(b[name], a[name], rtol=1e-6, err_msg=name)


def test_mean_between_quantiles_and_maps_consistent(demo):
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        st = ds["hcurves-stats"][()]  # (N, S, M, L1): mean, q0.16, q0.84
        assert (st[:, 1] <= st[:, 2] + 1e-12).all()
        assert ((st[:, 0] >= st[:, 1] - 1e-12) & (st[:, 0] <= st[:, 2] + 1e-12)).all()
        hm = ds["hmaps-stats"][()]  # (N, S, M, P): 10% IML > 2% IML? No: 2% is larger
        assert (hm[:, :, :, 1] >= hm[:, :, :, 0]).all()


def test_extract_hcurves_kinds(demo):
    eng, job_id = demo
    with eng.open_datastore(job_id) as ds:
        aw = extract(ds, "hcurves?kind=mean&imt=PGA", eng.registry)
        assert aw.mean.shape == (4, 1, 20)
        assert aw.kind == ["mean"] and aw.k == [0] and aw.rlzs is False
        aw = extract(ds, "hcurves?kind=stats&site_id=1", eng.registry)
        assert [n for n in aw.members() if n.startswith(("mean", "quantile"))] == [
            "mean", "quantile-0.16", "quantile-0.84"]
        assert aw.mean.shape == (1, 2, 20)
        back = from_npz(to_npz_bytes(extract(ds, "uhs?kind=mean", eng.registry)))
        assert back.mean.dtype.names == ("0.100000", "0.020000")
        allcurves = extract(ds, "hcurves", eng.registry)
        assert allcurves.all.dtype.names[:2] == ("lon", "lat")
        attrs = extract(ds, "hcurves-stats.attrs", eng.registry)
        assert b"shape_descr" in attrs.json


def test_collapsed_gsim_branch_set_sums_the_weighted_rates(tmp_path, demo):
    """collapse_gsim_logic_tree: one realization whose model averages the PoEs of the
    branch set's models; for Poisson sources its exceedance rates are the weighted sum
    of the per-model rates, so its curve is 1 - prod_i (1 - poe_i) ** w_i."""
    eng, job_id = demo
    eng_c, jid_c = run_demo(tmp_path, "no", {"collapse_gsim_logic_tree": "bs1"})
    with DataStore(eng.datastore_path(job_id)) as a, \
            DataStore(eng_c.datastore_path(jid_c)) as b:
        weights = a["weights"][()]
        per_rlz = a["_hcurves-rlzs"][()]  # (N, R, M, L1), kept for risk jobs
        assert b["realizations"].shape == (1,)
        assert b["realizations"]["branch_path"][0].decode().endswith("~A")
        collapsed = b["hcurves-stats"][()][:, 0]  # the mean of the single realization
    assert len(weights) == 2
    expected = 1.0 - np.prod((1.0 - per_rlz) ** weights[None, :, None, None], axis=1)
    np.testing.assert_allclose(collapsed, expected, rtol=1e-5, atol=1e-12)
    assert (collapsed > 0).any()


def test_collapse_gsim_logic_tree_needs_known_branch_sets():
    import oqcore
    from oqcore.errors import InvalidInput
    from oqcore.params import read_job_ini
    from oqplugins.calculators.classical import ClassicalCalculator
    reg = oqcore.load_registry()
    oq = read_job_ini(DEMO, reg, {"collapse_gsim_logic_tree": "bs1 GROUP_B"})
    with pytest.raises(InvalidInput, match="no GSIM branch set GROUP_B.*bs1") as exc:
        ClassicalCalculator.check_inputs(oq, reg)
    assert exc.value.param == "collapse_gsim_logic_tree"




def test_site_model_defining_the_sites_keeps_its_order(tmp_path):
    import shutil

    import oqcore
    from oqcore.params import read_job_ini
    from oqplugins.calculators.classical import ClassicalCalculator
    work = tmp_path / "job"
    shutil.copytree(os.path.dirname(DEMO), work)
    (work / "sites.csv").write_text("lon,lat,vs30\n12.6,42.4,760\n11.8,41.9,400\n"
                                    "12.3,42.2,600\n")
    ini = (work / "job.ini").read_text()
    ini = "\n".join(line for line in ini.splitlines() if not line.startswith("sites ="))
    (work / "job.ini").write_text(ini + "\nsite_model_file = sites.csv\n")
    reg = oqcore.load_registry()
    oq = read_job_ini(str(work / "job.ini"), reg)
    _hmodel, sitecol = ClassicalCalculator.read_inputs(oq, reg)
    np.testing.assert_allclose(sitecol.lons, [12.6, 11.8, 12.3])
    np.testing.assert_allclose(sitecol.array["vs30"], [760, 400, 600])
