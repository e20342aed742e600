"""Source typologies as plain data (attrs): point, area, simple/complex/characteristic
fault. Rupture generation lives in :mod:`oqcore.hazard.source.ruptures`."""
from __future__ import annotations

from typing import Any

import attrs
import numpy as np


@attrs.define(frozen=True)
class MagDependentAspectRatio:
    """A rupture aspect ratio (length / width) varying with magnitude: linear
    between two (magnitude, ratio) points, constant beyond them
    (``<aspectRatioFunction>`` of type ``linear_piecewise``)."""
    mags: tuple
    ratios: tuple

    def at(self, mag: float) -> float:
        """The aspect ratio of a magnitude."""
        return float(np.interp(mag, self.mags, self.ratios))


def aspect_ratio_at(ratio, mag: float) -> float:
    """The aspect ratio of a source (a number or a
    :class:`MagDependentAspectRatio`) for magnitude ``mag``."""
    return ratio.at(mag) if isinstance(ratio, MagDependentAspectRatio) else ratio


@attrs.define
class NodalPlane:
    """Strike, dip, rake in degrees."""
    strike: float
    dip: float
    rake: float


@attrs.define
class BaseSource:
    """Common attributes: ID, name, tectonic region type, MFD."""
    source_id: str
    name: str
    trt: str
    mfd: Any
    lineno: int = 0
    fname: str = ""
    #: the :class:`~oqcore.hazard.source.groups.SourceGroup` of the source (None:
    #: independent Poisson sources)
    group: Any = None

    @property
    def code(self) -> str:
        """One-letter typology code as OpenQuake writes it."""
        return self.CODE  # type: ignore[attr-defined]


@attrs.define
class PointSource(BaseSource):
    """A point source with nodal-plane and hypocentral-depth distributions."""
    CODE = "P"
    lon: float = 0.0
    lat: float = 0.0
    upper_seismogenic_depth: float = 0.0
    lower_seismogenic_depth: float = 0.0
    msr: Any = None
    rupture_aspect_ratio: float = 1.0
    nodal_planes: list = attrs.field(factory=list)   # [(prob, NodalPlane)]
    hypo_depths: list = attrs.field(factory=list)    # [(prob, depth km)]
    #: down-dip fraction (0 top, 1 bottom) of the hypocentre on the plane of each
    #: hypocentral depth (``fixedDipFrac``); None: 0.5 for all
    hypo_dip_fracs: list | None = None


@attrs.define
class MultiPointSource(BaseSource):
    """Point sources sharing everything but their location and MFD (a
    :class:`~oqcore.hazard.source.mfd.MultiMFD`, one MFD per point)."""
    CODE = "M"
    lons: Any = None   # (n,) degrees
    lats: Any = None   # (n,) degrees
    upper_seismogenic_depth: float = 0.0
    lower_seismogenic_depth: float = 0.0
    msr: Any = None
    rupture_aspect_ratio: float = 1.0
    nodal_planes: list = attrs.field(factory=list)
    hypo_depths: list = attrs.field(factory=list)
    #: down-dip fraction (0 top, 1 bottom) of the hypocentre on the plane of each
    #: hypocentral depth (``fixedDipFrac``); None: 0.5 for all
    hypo_dip_fracs: list | None = None


@attrs.define
class AreaSource(BaseSource):
    """An area source: a polygon split into point sources on a grid."""
    CODE = "A"
    polygon_lons: Any = None
    polygon_lats: Any = None
    upper_seismogenic_depth: float = 0.0
    lower_seismogenic_depth: float = 0.0
    msr: Any = None
    rupture_aspect_ratio: float = 1.0
    nodal_planes: list = attrs.field(factory=list)
    hypo_depths: list = attrs.field(factory=list)
    #: down-dip fraction (0 top, 1 bottom) of the hypocentre on the plane of each
    #: hypocentral depth (``fixedDipFrac``); None: 0.5 for all
    hypo_dip_fracs: list | None = None
    discretization: float = 10.0


@attrs.define
class SimpleFaultSource(BaseSource):
    """A simple fault: trace, seismogenic depths, dip; floating ruptures."""
    CODE = "S"
    trace: Any = None  # (n, 2) lon, lat
    upper_seismogenic_depth: float = 0.0
    lower_seismogenic_depth: float = 0.0
    dip: float = 90.0
    rake: float = 0.0
    msr: Any = None
    rupture_aspect_ratio: float = 1.0
    hypo_list: list = attrs.field(factory=list)   # [(prob, alongStrike, downDip)]
    slip_list: list = attrs.field(factory=list)
    mesh_spacing: float = 5.0
    hypo_depths: list = attrs.field(factory=list)  # [(prob, depth km, fixedDipFrac|None)]


@attrs.define
class ComplexFaultSource(BaseSource):
    """A complex fault: edges from top to bottom; floating ruptures."""
    CODE = "C"
    edges: Any = None  # list of (n, 3) arrays lon, lat, depth
    rake: float = 0.0
    msr: Any = None
    rupture_aspect_ratio: float = 1.0
    mesh_spacing: float = 5.0


@attrs.define
class CharacteristicFaultSource(BaseSource):
    """A characteristic fault: one rupture per magnitude on the whole surface."""
    CODE = "X"
    surface_kind: str = "simple"   # simple | complex | planar
    surface_data: Any = None       # geometry parameters per kind
    rake: float = 0.0
    mesh_spacing: float = 5.0
