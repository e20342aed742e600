"""``oq compile``: the warm-up job is a valid classical job covering every source kind
of the classical path; running it (slow) completes."""
import pytest

from oqcore import load_registry
from oqcore.params import read_job_ini
from oqcore.warmup import compile_kernels, write_inputs


def test_warmup_job_is_valid(tmp_path):
    registry = load_registry()
    oq = read_job_ini(write_inputs(str(tmp_path)), registry)
    spec = registry.calculator(oq.calculation_mode)
    spec.check_inputs(oq, registry)
    hmodel, sitecol = spec.factory.read_inputs(oq, registry)
    codes = {s.CODE for sm in hmodel.source_models for srcs in sm.sources_by_trt.values()
             for s in srcs}
    assert codes == {"A", "S", "C", "X"}
    assert len(sitecol) == 5


@pytest.mark.slow
def test_compile_kernels_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert compile_kernels() > 0
