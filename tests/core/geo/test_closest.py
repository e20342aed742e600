"""Closest points of rupture surfaces to sites (oqcore.hazard.geo.closest)."""
import numpy as np

from oqcore.hazard.geo.closest import mesh_closest_points, planar_closest_points
from oqcore.hazard.geo.mesh import RectangularMesh

# a vertical plane striking north from (10, 40) to (10, 40.5), 0-10 km deep
CORNERS = np.array([[[10.0, 40.0, 0.0], [10.0, 40.5, 0.0], [10.0, 40.5, 10.0],
                     [10.0, 40.0, 10.0]]])


def test_planar_closest_points():
    sites = np.array([[10.1, 40.2, 0.0], [9.8, 41.0, 0.0], [10.0, 39.5, 0.0]])
    lon, lat = planar_closest_points(CORNERS, sites)
    assert lon.shape == (1, 3)
    np.testing.assert_allclose(lon[0], 10.0, atol=1e-3)
    np.testing.assert_allclose(lat[0], [40.2, 40.5, 40.0], atol=2e-3)


def test_mesh_closest_points_agree_with_the_plane():
    lats = np.linspace(40.0, 40.5, 56)
    deps = np.linspace(0.0, 10.0, 3)
    mesh = RectangularMesh(np.full((3, 56), 10.0), np.tile(lats, (3, 1)),
                           np.repeat(deps[:, None], 56, axis=1))

    class Sites:
        lons = np.array([10.1, 9.8])
        lats = np.array([40.2, 41.0])
        depths = np.zeros(2)
    lon, lat = mesh_closest_points(mesh, Sites())
    plon, plat = planar_closest_points(CORNERS, np.column_stack(
        [Sites.lons, Sites.lats, Sites.depths]))
    np.testing.assert_allclose(lon, plon[0], atol=1e-3)
    np.testing.assert_allclose(lat, plat[0], atol=6e-3)  # mesh spacing ~1 km
