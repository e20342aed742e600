"""Rupture geometry and site-to-rupture distances (spherical Earth, radius 6371 km),
reproducing OpenQuake 3.26's meshes and distances.

Modules: :mod:`.geodetic` (great-circle geodesy, projections), :mod:`.line`
(polylines and their resampling), :mod:`.mesh` (meshes, rrup and rjb),
:mod:`.planar` (planar surfaces, point-source planes, planar distance kernel),
:mod:`.surface` (simple and complex fault surfaces, mesh distance kernel),
:mod:`.ruptures` (floating ruptures on fault meshes), :mod:`.gc2` (generalised
coordinates of Spudich & Chiou 2015: rx and ry0 of multi-element surfaces).
"""
from oqcore.hazard.geo.geodetic import EARTH_RADIUS, OrthographicProjection
from oqcore.hazard.geo.line import Line
from oqcore.hazard.geo.mesh import Mesh, RectangularMesh
from oqcore.hazard.geo.planar import (
    PlanarSurface, build_planar_corners, planar_distances, planar_distances_numpy)
from oqcore.hazard.geo.ruptures import (
    complex_fault_rupture_slices, complex_fault_ruptures, count_floating_ruptures,
    simple_fault_floating, simple_fault_rupture_slices, simple_fault_ruptures)
from oqcore.hazard.geo.surface import (
    BaseSurface, ComplexFaultSurface, SimpleFaultSurface, mesh_distances,
    mesh_distances_numpy)

__all__ = [
    "EARTH_RADIUS", "OrthographicProjection", "Line", "Mesh", "RectangularMesh",
    "PlanarSurface", "build_planar_corners", "planar_distances",
    "planar_distances_numpy", "complex_fault_rupture_slices", "complex_fault_ruptures",
    "count_floating_ruptures", "simple_fault_floating", "simple_fault_rupture_slices",
    "simple_fault_ruptures",
    "BaseSurface", "ComplexFaultSurface", "SimpleFaultSurface", "mesh_distances",
    "mesh_distances_numpy",
]
