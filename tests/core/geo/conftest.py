"""Shared helpers for the geometry tests: reference data loading and site objects."""
import json
import os

import numpy as np
import pytest

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "geo")
DISTS = ("rrup", "rjb", "rx", "ry0")


def _have_shapely():
    from oqcore.hazard.geo import mesh
    return mesh.shapely is not None


#: absolute tolerance (km) on rjb of mesh surfaces: exact with shapely (OpenQuake's
#: polygons are rebuilt with it); without shapely the 5 m dilation is approximated
RJB_ATOL = 1e-8 if _have_shapely() else 0.0055


class Sites:
    """Minimal site collection: .lons, .lats, .depths arrays (N,)."""

    def __init__(self, arr):
        arr = np.asarray(arr, float)
        self.lons, self.lats, self.depths = arr[:, 0], arr[:, 1], arr[:, 2]

    def __len__(self):
        return len(self.lons)


def load(name):
    with open(os.path.join(DATA, name)) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def planar_ref():
    return load("planar.json")["cases"]


@pytest.fixture(scope="session")
def simple_ref():
    return load("simple_fault.json")["cases"]


@pytest.fixture(scope="session")
def complex_ref():
    return load("complex_fault.json")["cases"]
