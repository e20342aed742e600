"""The real classical calculator through the server, when it is available."""
from __future__ import annotations

import importlib
import io
import os

import numpy as np
import pytest

from tests.http.conftest import Server


def _classical_plugins():
    from oqcore.builtin_plugins import MODULES
    mods = []
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        mods.append(name)
    return mods


def _demo():
    for root in ("/tmp/oqref/demos/hazard/AreaSourceClassicalPSHA",
                 os.path.join(os.path.dirname(__file__), "..", "data", "classical_demo")):
        if os.path.exists(os.path.join(root, "job.ini")):
            return root
    return None


def test_real_classical(tmp_path):
    mods = _classical_plugins()
    demo = _demo()
    if "oqplugins.calculators.classical" not in mods or demo is None:
        pytest.skip("the classical calculator or its demo is not available yet")
    srv = Server(str(tmp_path), {"distribution": {"serialize_jobs": 1, "num_cores": 2}},
                 plugins=mods)
    srv.start()
    try:
        job_id = srv.run_folder(demo)
        outs = srv.get("/v1/calc/%d/results" % job_id).json()
        assert "hcurves" in [o["type"] for o in outs]
        r = srv.get("/v1/calc/%d/extract/hcurves?kind=mean&imt=PGA" % job_id)
        assert r.status_code == 200
        assert np.load(io.BytesIO(r.content))["mean"].ndim == 3
    finally:
        srv.stop()
