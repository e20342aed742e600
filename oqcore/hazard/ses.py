"""Stochastic event sets: the ruptures of a source, their annual rates and their
Poisson sampling.

Every rupture of a source has an ordinal (its position in the order the source
generates its ruptures) and an annual occurrence rate:

* point sources (and the points of an area source, one after the other): one planar
  rupture per magnitude x nodal plane x hypocentral depth (ordinal
  ``(m * n_planes + p) * n_depths + d``), rate = rate of the magnitude x plane weight
  x depth weight; the plane is built as for classical (no collapsing of planes);
* simple and complex faults: the floating ruptures of each magnitude, in the order of
  :mod:`oqcore.hazard.source.fault_ruptures`, rate = rate of the magnitude x the
  rupture's fraction;
* characteristic faults: one rupture per magnitude on the whole surface.

A rupture occurs ``n_occ ~ Poisson(rate * investigation_time * num_ses)`` times, with
``num_ses = ses_per_logic_tree_path x`` the number of realizations of the source
models having the source; the generator of a source is seeded with the CRC-32 of its
ID started from ``ses_seed`` (as OpenQuake does), so the sample does not depend on how
sources are distributed over tasks. As in OpenQuake, every source is sampled and every rupture
occurring at least once is kept, however far from the sites: the integration distance
only applies to the ground-motion fields.
"""
from __future__ import annotations

import zlib

import numpy as np

from oqcore.errors import InvalidInput
from oqcore.hazard.contexts import round_mag
from oqcore.hazard.geo.planar import build_planar_corners
from oqcore.hazard.rupture import Rupture, mesh_rupture, planar_rupture
from oqcore.hazard.source.fault_ruptures import (characteristic_surfaces,
                                                 complex_fault_rupture_set,
                                                 complex_fault_surface,
                                                 simple_fault_rupture_set,
                                                 simple_fault_surface)
from oqcore.hazard.geo.planar import PlanarSurface
from oqcore.hazard.rupture import MESH
from oqcore.hazard.source.multi_fault import MultiFaultSource
from oqcore.hazard.source.nonparametric import NonParametricSource
from oqcore.hazard.source.ruptures import mag_rates, plane_widths, point_sources_of
from oqcore.hazard.source.typology import (CharacteristicFaultSource,
                                           PointSource, SimpleFaultSource,
                                           aspect_ratio_at)


class PointRuptures:
    """The ruptures of a point source (see the module docstring)."""

    def __init__(self, src: PointSource, min_mag: float):
        self.src = src
        self.mags, mrates = mag_rates(src, min_mag)
        self.npw = np.array([p for p, _ in src.nodal_planes])
        self.hdw = np.array([p for p, _ in src.hypo_depths])
        self.rates = (mrates[:, None, None] * self.npw[None, :, None]
                      * self.hdw[None, None, :]).ravel()

    def get(self, ordinal: int, trt: str) -> Rupture:
        """The rupture of an ordinal."""
        src = self.src
        m, p, d = np.unravel_index(ordinal, (len(self.mags), len(self.npw), len(self.hdw)))
        mag = float(self.mags[m])
        plane = src.nodal_planes[p][1]
        depth = src.hypo_depths[d][1]
        area = src.msr.get_median_area(mag, plane.rake)
        corners, _ = build_planar_corners(
            src.lon, src.lat, [depth], [plane.strike], [plane.dip], [area],
            aspect_ratio_at(src.rupture_aspect_ratio, mag), src.upper_seismogenic_depth,
            src.lower_seismogenic_depth,
            None if src.hypo_dip_fracs is None else [src.hypo_dip_fracs[d]])
        width = float(plane_widths(corners[0, 0]))
        return planar_rupture(mag, plane.rake, trt, (src.lon, src.lat, depth),
                              corners[0, 0], plane.strike, plane.dip, width)


class FaultRuptures:
    """The floating ruptures of a simple or complex fault source."""

    def __init__(self, src, min_mag: float):
        self.src = src
        self.simple = isinstance(src, SimpleFaultSource)
        mags, mrates = mag_rates(src, min_mag)
        surface = simple_fault_surface(src) if self.simple else complex_fault_surface(src)
        self.surface = surface
        mesh = surface.mesh
        cell_dims = None if self.simple else mesh.get_cell_dimensions()
        self.sets, self.mags, rates, self.offsets = [], [], [], [0]
        for mag, rate in zip(mags, mrates):
            area = src.msr.get_median_area(mag, src.rake)
            if self.simple:
                rset = simple_fault_rupture_set(src, mesh, area, mag)
            else:
                rset = complex_fault_rupture_set(src, mesh, area, cell_dims, mag)
            self.sets.append(rset)
            self.mags.append(float(mag))
            rates.append(rate * rset.weights)
            self.offsets.append(self.offsets[-1] + len(rset))
        self.rates = np.concatenate(rates) if rates else np.zeros(0)

    def get(self, ordinal: int, trt: str) -> Rupture:
        """The rupture of an ordinal."""
        m = int(np.searchsorted(self.offsets, ordinal, side="right")) - 1
        rset = self.sets[m]
        u = ordinal - self.offsets[m]
        p = rset.pos[u]
        mesh = rset.meshes[p]
        el = np.array([mesh.lons, mesh.lats, mesh.depths], float)
        return Rupture(float(round_mag(self.mags[m])), float(self.src.rake), trt,
                       tuple(float(h) for h in rset.hypos[u]), MESH, [el],
                       float(rset.strike[p]), float(rset.dip[p]), float(rset.width[p]),
                       float(rset.ztor[p]))


class CharacteristicRuptures:
    """One rupture per magnitude on the surface of a characteristic fault."""

    def __init__(self, src: CharacteristicFaultSource, min_mag: float):
        self.src = src
        self.mags, self.rates = mag_rates(src, min_mag)
        self.surfaces = characteristic_surfaces(src)

    def get(self, ordinal: int, trt: str) -> Rupture:
        """The rupture of an ordinal (the magnitude index)."""
        mag = float(round_mag(self.mags[ordinal]))
        if all(isinstance(s, PlanarSurface) for s in self.surfaces):
            from oqcore.hazard.source.fault_ruptures import multi_surface_params
            hypo = (self.surfaces[0].get_middle_point() if len(self.surfaces) == 1
                    else multi_surface_params(self.surfaces)["hypo"])
            corners = [s.corners for s in self.surfaces]
            rup = planar_rupture(mag, self.src.rake, trt, hypo, corners)
            if len(self.surfaces) == 1:
                s = self.surfaces[0]
                rup.strike, rup.dip = s.get_strike(), s.get_dip()
            return rup
        hypo = None
        if len(self.surfaces) > 1:
            from oqcore.hazard.source.fault_ruptures import multi_surface_params
            hypo = multi_surface_params(self.surfaces)["hypo"]
        return mesh_rupture(mag, self.src.rake, trt, hypo, self.surfaces)


class NonParametricRuptures:
    """The ruptures of a non-parametric source, each with its probabilities of 0, 1,
    2... occurrences in the investigation time (``probs_occur``)."""

    def __init__(self, src, min_mag: float):
        for rup in src.ruptures:
            if not isinstance(rup, Rupture):
                raise InvalidInput("source %r: event-based calculations do not support "
                                   "its %s ruptures yet" % (src.source_id,
                                                            type(rup).__name__),
                                   param="source_model_logic_tree_file")
        self.src = src
        self.min_mag = min_mag
        self.cdfs = np.cumsum(src.probs_occur, axis=1)

    def sample(self, rng, num_ses: int) -> np.ndarray:
        """(R,) occurrences of each rupture in ``num_ses`` investigation times: for
        each rupture in turn, ``num_ses`` uniform numbers turned into numbers of
        occurrences by the rupture's cumulative probabilities, summed (as OpenQuake
        draws them); ruptures below ``min_mag`` do not occur."""
        n_occ = np.array([np.digitize(rng.random(num_ses), cdf).sum()
                          for cdf in self.cdfs], np.int64)
        mags = np.array([r.mag for r in self.src.ruptures])
        n_occ[mags < self.min_mag] = 0
        return n_occ

    def get(self, ordinal: int, trt: str) -> Rupture:
        """The rupture of an ordinal (its position in the source)."""
        return self.src.ruptures[ordinal]


class MultiFaultRuptures:
    """The ruptures of a multi-fault source: Poissonian with inferred occurrence rates,
    else with their probabilities of 0, 1, 2... occurrences."""

    def __init__(self, src, min_mag: float):
        self.src = src
        self.min_mag = min_mag

    def sample(self, rng, num_ses: int, time_span: float) -> np.ndarray:
        """(R,) occurrences of each rupture in ``num_ses`` investigation times, drawn
        rupture after rupture as OpenQuake draws them: one Poisson number (inferred
        rates), else ``num_ses`` uniform numbers turned into numbers of occurrences by
        the rupture's cumulative probabilities; ruptures below ``min_mag`` do not
        occur."""
        src = self.src
        if src.occur_rates is not None:
            n_occ = np.array([rng.poisson(rate * time_span * num_ses)
                              for rate in src.occur_rates], np.int64)
        else:
            n_occ = np.array([np.digitize(rng.random(num_ses), cdf).sum()
                              for cdf in np.cumsum(src.probs_occur, axis=1)], np.int64)
        n_occ[np.asarray(src.mags) < self.min_mag] = 0
        return n_occ

    def get(self, ordinal: int, trt: str) -> Rupture:
        """The rupture of an ordinal, on its sections; its hypocentre is the middle
        point of its first section (Poissonian ruptures) or of the multi-surface."""
        from oqcore.hazard.source.fault_ruptures import multi_surface_params
        src = self.src
        surfs = [src.geometry.surfaces[s] for s in src.sections[ordinal]]
        middle = (surfs[0].get_middle_point() if len(surfs) == 1 else
                  multi_surface_params(surfs)["hypo"])
        hypo = surfs[0].get_middle_point() if src.occur_rates is not None else middle
        rup = mesh_rupture(round(float(src.mags[ordinal]), 3), float(src.rakes[ordinal]),
                           trt, hypo, surfs)
        rup.middle = tuple(float(x) for x in middle)
        return rup


def source_ruptures(src, min_mag: float):
    """The rupture enumerator of a source (an object with ``rates`` (n,) and ``get(ordinal,
    trt)``), or a list of them for an area source (one
    per point)."""
    points = point_sources_of(src)
    if points is not None:
        return [PointRuptures(p, min_mag) for p in points]
    if isinstance(src, PointSource):
        return [PointRuptures(src, min_mag)]
    if isinstance(src, CharacteristicFaultSource):
        return [CharacteristicRuptures(src, min_mag)]
    return [FaultRuptures(src, min_mag)]


def source_seed(source_id: str, ses_seed: int) -> int:
    """The seed of the occurrence stream of a source: the CRC-32 of its ID (ASCII)
    started from ``ses_seed`` (OpenQuake's convention, so that the same job samples the
    same ruptures)."""
    return zlib.crc32(source_id.encode("ascii"), ses_seed)


def sample_source(src, trt: str, min_mag: float, time_span: float, num_ses: int,
                  ses_seed: int, name: str | None = None) -> tuple[int, list]:
    """Sample the ruptures of a source.

    One ``numpy.random.default_rng(source_seed(source ID, ses_seed))`` stream gives, in
    one Poisson draw over all the ruptures of the source in ordinal order, the number
    of occurrences of each: ``n_occ ~ Poisson(rate x time_span x num_ses)``.

    :param time_span: the investigation time, years
    :param num_ses: the number of stochastic event sets over which the source is
        sampled (``ses_per_logic_tree_path`` x the realizations of its source models)
    :param ses_seed: the job's ``ses_seed``
    :param name: the ID seeding the stream (default the source's ID)
    :returns: (the number of ruptures of the source, list of (ordinal, n_occ, rate,
        Rupture) of the ruptures occurring at least once, by ordinal)
    """
    rng = np.random.default_rng(source_seed(name or src.source_id, ses_seed))
    if isinstance(src, MultiFaultSource):
        mfs = MultiFaultRuptures(src, min_mag)
        n_occ = mfs.sample(rng, num_ses, time_span)
        rates = (src.occur_rates if src.occur_rates is not None else
                 np.full(len(n_occ), np.nan))
        return len(n_occ), [(int(i), int(n_occ[i]), float(rates[i]), mfs.get(int(i), trt))
                            for i in np.flatnonzero(n_occ)]
    if isinstance(src, NonParametricSource):  # not Poissonian
        nps = NonParametricRuptures(src, min_mag)
        n_occ = nps.sample(rng, num_ses)
        return len(n_occ), [(int(i), int(n_occ[i]), float("nan"), nps.get(int(i), trt))
                            for i in np.flatnonzero(n_occ)]
    parts = [p for p in source_ruptures(src, min_mag) if len(p.rates)]
    if not parts:
        return 0, []
    rates = np.concatenate([p.rates for p in parts])
    n_occ = rng.poisson(rates * time_span * num_ses)
    starts = np.cumsum([0] + [len(p.rates) for p in parts])
    out = []
    for i in np.flatnonzero(n_occ):
        k = int(np.searchsorted(starts, i, side="right")) - 1
        out.append((int(i), int(n_occ[i]), float(rates[i]),
                    parts[k].get(int(i - starts[k]), trt)))
    return len(rates), out
