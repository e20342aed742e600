"""Shared helpers for the geometry tests: reference data loading and site objects."""
import json
import os

import numpy as np
import pytest

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "geo")
DISTS = ("rrup", "rjb", "rx", "ry0")


#: absolute tolerance (km) on rjb of mesh surfaces (OpenQuake's polygons are rebuilt
#: with shapely, so rjb is exact up to rounding)
RJB_ATOL = 1e-8


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
