"""The disaggregation demo through the server: outputs and extract specs over REST,
the TRT kinds included (their TRT axis is encoded as bytes in the .npz)."""
from __future__ import annotations

import io
import os
import time

import numpy as np

from oqcore.builtin_plugins import MODULES
from tests.http.conftest import Server

DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "demos", "disaggregation")


def get_when_readable(srv, path, timeout=60):
    """GET, retrying while the datastore is still held by the finishing job (409)."""
    deadline = time.time() + timeout
    while True:
        r = srv.get(path)
        if r.status_code != 409 or time.time() > deadline:
            return r
        time.sleep(0.5)


def test_disagg_over_rest(tmp_path):
    srv = Server(str(tmp_path), {"distribution": {"serialize_jobs": 1, "num_cores": 2}},
                 plugins=MODULES)
    srv.start()
    try:
        job_id = srv.run_folder(DEMO)
        outs = srv.get("/v1/calc/%d/results" % job_id).json()
        assert "disagg-rlzs" in [o["type"] for o in outs]
        url = "/v1/calc/%d/extract/" % job_id
        r = get_when_readable(srv, url + "disagg?kind=Mag_Dist&imt=PGA&site_id=0&poe_id=0"
                                         "&spec=rlzs-traditional")
        assert r.status_code == 200, r.text
        npz = np.load(io.BytesIO(r.content))
        assert len(npz["mag"]) == 4 and len(npz["dist"]) == 21
        assert npz["array"].shape == (4, 21, 1, 1)
        for kind in ("TRT", "TRT_Mag_Dist_Eps", "TRT_Lon_Lat"):
            r = srv.get(url + "disagg?kind=%s&site_id=1&spec=rlzs" % kind)
            assert r.status_code == 200, r.text
            npz = np.load(io.BytesIO(r.content))  # no pickle needed
            assert npz["trt"].tolist() == [b"Active Shallow Crust",
                                           b"Stable Continental Crust"]
            assert npz["array"].shape[0] == 2
        r = srv.get(url + "disagg_layer?kind=Mag")
        assert r.status_code == 200, r.text
        r = srv.get(url + "disagg?kind=Mag&site_id=0&spec=stats")
        assert r.status_code == 400
    finally:
        srv.stop()
