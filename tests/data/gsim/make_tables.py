"""Make a GSIM verification table with the OpenQuake oracle (run it with OpenQuake's Python).

Not imported by the project or its tests. Usage, from a scratch virtualenv holding OpenQuake
3.26.2::

    python make_tables.py MODEL OUT.csv [--family crustal|interface|slab] [--n 150] [--seed 1]
        [--imts PGA,PGV,SA(0.1),...] [--by-mag] [--mags 4.0,8.5] [--set NAME=V1,V2,...]

MODEL is a class name or the TOML form of a GSIM logic-tree branch
(``'[ModifiableGMPE]\\ngmpe.AkkarEtAlRjb2014 = {}\\n...'`` with real newlines or ``\\n``).
The table layout is the one of shared/reference/gsim/README.md: the ``REQUIRES_*`` inputs as
``rup_*``, ``dist_*``, ``site_*`` columns, ``result_type``, ``damping`` and one column per IMT;
MEAN in linear units, standard deviations in natural-log units, 12 significant digits.

The contexts follow the README's recipe: a rectangular rupture on a flat Earth (top edge at
``ztor`` along +y, dipping toward +x, Wells & Coppersmith area, aspect ratio 1-2), sites up to
~300 km away (15 % above the rupture), vs30 log-uniform 150-1500 m/s, 20 % unknown basin depths,
30 % backarc. Parameters the recipe does not cover get the values in ``EXTRA`` below: extend
that table (one entry per parameter) when a model needs a new one.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys

import numpy as np

EXTRA_SITE = {
    # name: function(rng, n, vs30) -> values
    "z1pt4": lambda rng, n, vs30: rng.uniform(0.0, 1.5, n) * 1000.0,
    "f0": lambda rng, n, vs30: rng.uniform(0.5, 10.0, n),
    "xvf": lambda rng, n, vs30: rng.uniform(-100.0, 100.0, n),
    "region": lambda rng, n, vs30: rng.integers(0, 6, n).astype(float),
    "siteclass": lambda rng, n, vs30: np.array([b"A", b"B", b"C", b"D", b"E"])[rng.integers(0, 5, n)],
    "ec8": lambda rng, n, vs30: np.array([b"A", b"B", b"C", b"D", b"E"])[rng.integers(0, 5, n)],
    "ec8_p18": lambda rng, n, vs30: np.array([b"A", b"B1", b"B2", b"C1", b"C2", b"C3", b"D",
                                              b"E"])[rng.integers(0, 8, n)],
    "geology": lambda rng, n, vs30: np.array([b"CENOZOIC", b"HOLOCENE", b"JURASSIC-TRIASSIC",
                                              b"CRETACEOUS", b"PALEOZOIC", b"PLEISTOCENE",
                                              b"PRECAMBRIAN", b"UNKNOWN"])[rng.integers(0, 8, n)],
    "slope": lambda rng, n, vs30: 10 ** rng.uniform(-3, -0.5, n),
    "h800": lambda rng, n, vs30: rng.uniform(0.0, 300.0, n),
    "soiltype": lambda rng, n, vs30: rng.integers(1, 5, n).astype(float),
    "bas": lambda rng, n, vs30: rng.integers(0, 2, n).astype(float),
    "fpeak": lambda rng, n, vs30: rng.uniform(0.5, 10.0, n),
    "THV": lambda rng, n, vs30: rng.uniform(0.1, 2.0, n),
    "PHV": lambda rng, n, vs30: rng.uniform(1.0, 6.0, n),
    "T_sediment": lambda rng, n, vs30: rng.uniform(0.0, 1.0, n),
    "in_cshm": lambda rng, n, vs30: rng.integers(0, 2, n).astype(bool),
    "z_sed": lambda rng, n, vs30: rng.uniform(0.0, 3.0, n),
    "lon": lambda rng, n, vs30: np.round(rng.uniform(6.0, 19.0, n), 4),
    "lat": lambda rng, n, vs30: np.round(rng.uniform(36.0, 47.5, n), 4),
    "kappa0": lambda rng, n, vs30: rng.uniform(0.005, 0.06, n),
    "freeface_ratio": lambda rng, n, vs30: rng.uniform(1.0, 40.0, n),
    "T_15": lambda rng, n, vs30: rng.uniform(0.5, 15.0, n),
    "F_15": lambda rng, n, vs30: rng.uniform(0.0, 60.0, n),
    "D50_15": lambda rng, n, vs30: rng.uniform(0.01, 1.0, n),
    "amplfactor": lambda rng, n, vs30: rng.uniform(-1.5, 1.0, n),
}
#: site positions spanning Japan (the region-dependent Japanese models: --japan)
JAPAN_SITE = {
    "lon": lambda rng, n, vs30: np.round(rng.uniform(128.0, 146.0, n), 3),
    "lat": lambda rng, n, vs30: np.round(rng.uniform(30.0, 45.0, n), 3),
}
EXTRA_RUPTURE = {
    "rvolc": lambda rng, n: np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.0, 100.0, n)),
    "in_cshm": lambda rng, n: (rng.random(n) < 0.5).astype(float),
    "hypo_lon": lambda rng, n: np.round(rng.uniform(128.0, 146.0, n), 3),
    "hypo_lat": lambda rng, n: np.round(rng.uniform(30.0, 45.0, n), 3),
    # closest rupture points in north-east Japan and the Kurils
    "clon": lambda rng, n: np.round(rng.uniform(138.0, 150.0, n), 3),
    "clat": lambda rng, n: np.round(rng.uniform(38.0, 48.0, n), 3),
}
ORDER_RUP = ["mag", "rake", "dip", "ztor", "width", "hypo_depth"]
ORDER_DIST = ["rrup", "rjb", "rx", "ry0", "rhypo", "repi", "azimuth", "rvolc", "clon", "clat"]
ORDER_SITE = ["vs30", "vs30measured", "z1pt0", "z2pt5", "backarc"]


def _build_gsim(text: str):
    from openquake.hazardlib import valid
    text = text.replace("\\n", "\n")
    return valid.gsim(text)


def contexts(n: int, seed: int, family: str, mags=(4.0, 8.5)) -> dict[str, np.ndarray]:
    """Random contexts of the README recipe: {parameter: array of n}."""
    rng = np.random.default_rng(seed)
    mag = np.round(rng.uniform(mags[0], mags[1], n), 2)
    rake = np.round(rng.uniform(-180, 180, n), 1)
    dip = np.round(rng.uniform(10, 90, n), 1)
    vs30 = np.round(np.exp(rng.uniform(math.log(150), math.log(1500), n)), 1)
    vs30measured = (rng.random(n) < 0.5).astype(float)
    unknown = rng.random(n) < 0.2
    z1 = np.exp(-7.15 / 4 * np.log((vs30 ** 4 + 570.94 ** 4) / (1360 ** 4 + 570.94 ** 4)))
    z1 = np.round(z1 * np.exp(rng.normal(0, 0.4, n)), 2)
    z25 = np.exp(7.089 - 1.144 * np.log(vs30))
    z25 = np.round(z25 * np.exp(rng.normal(0, 0.3, n)), 4)
    z1[unknown] = -999
    z25[unknown] = -999
    backarc = (rng.random(n) < 0.3).astype(float)
    area = 10 ** (-3.49 + 0.91 * mag)
    aspect = rng.uniform(1.0, 2.0, n)
    u_ztor = rng.random(n)
    frac_x, frac_y = rng.random(n), rng.random(n)
    above = rng.random(n) < 0.15
    site_u, site_v = rng.random(n), rng.random(n)
    far = rng.uniform(0.0, 300.0, n)
    azim = rng.uniform(0, 2 * np.pi, n)
    if family == "slab":
        ztor = 20 + 80 * u_ztor
        seismo = ztor + 60.0
    elif family == "interface":
        ztor = 20 * u_ztor
        seismo = np.full(n, 60.0)
    else:
        ztor = 20 * u_ztor
        seismo = np.full(n, 25.0)
    ztor = np.round(ztor, 3)
    sin_d, cos_d = np.sin(np.radians(dip)), np.cos(np.radians(dip))
    width = np.sqrt(area / aspect)
    width = np.minimum(width, (seismo - ztor) / sin_d)
    length = area / width
    width = np.round(width, 4)
    hypo_x, hypo_y = frac_x * width, frac_y * length
    hypo_depth = np.round(ztor + hypo_x * sin_d, 4)
    # site in map coordinates: x across strike, y along strike (rupture top at x=0, y in 0..L)
    xproj = width * cos_d
    sx = np.where(above, site_u * xproj, xproj / 2 + far * np.cos(azim))
    sy = np.where(above, site_v * length, length / 2 + far * np.sin(azim))
    dx = np.where(sx < 0, -sx, np.where(sx > xproj, sx - xproj, 0.0))
    dy = np.where(sy < 0, -sy, np.where(sy > length, sy - length, 0.0))
    rjb = np.hypot(dx, dy)
    # rrup: closest point on the dipping plane (down-dip coordinate t in 0..width)
    t = np.clip(sx * cos_d - ztor * sin_d, 0, width)
    px, pz = t * cos_d, ztor + t * sin_d
    py = np.clip(sy, 0, length)
    rrup = np.sqrt((sx - px) ** 2 + (sy - py) ** 2 + pz ** 2)
    rrup = np.maximum(rrup, rjb)
    rx = sx
    ry0 = np.where(sy < 0, -sy, np.where(sy > length, sy - length, 0.0))
    hx, hy = hypo_x * cos_d, hypo_y
    repi = np.hypot(sx - hx, sy - hy)
    rhypo = np.sqrt(repi ** 2 + hypo_depth ** 2)
    # azimuth of the site seen from the epicentre, clockwise from the strike (+y)
    azimuth = np.round(np.degrees(np.arctan2(sx - hx, sy - hy)) % 360.0, 3)
    r4 = lambda a: np.round(a, 4)  # noqa: E731
    return dict(mag=mag, rake=rake, dip=dip, ztor=ztor, width=width, hypo_depth=hypo_depth,
                zbot=np.round(np.minimum(ztor + width * sin_d, seismo), 4),
                rrup=r4(rrup), rjb=r4(rjb), rx=r4(rx), ry0=r4(ry0), rhypo=r4(rhypo), repi=r4(repi),
                azimuth=azimuth,
                rvolc=EXTRA_RUPTURE["rvolc"](rng, n),
                vs30=vs30, vs30measured=vs30measured, z1pt0=z1, z2pt5=z25, backarc=backarc,
                rng=rng)


def _imt_column(imt) -> str:
    s = str(imt)
    if s.startswith("SA("):
        return repr(float(s[3:-1]))
    return s.lower() if s in ("PGA", "PGV") else s


def main(argv=None) -> int:
    from openquake.hazardlib import imt as oqimt
    from openquake.hazardlib.contexts import RuptureContext  # noqa: F401 (oracle only)
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--family", default="crustal", choices=["crustal", "interface", "slab"])
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--imts", default="", help="comma-separated IMTs (default: from the model)")
    ap.add_argument("--by-mag", action="store_true",
                    help="call the model once per magnitude (table-based models)")
    ap.add_argument("--mags", default="4.0,8.5", help="magnitude range LO,HI")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=V1,V2,...",
                    help="give a context parameter these values, cycled over the contexts "
                         "(for models defined on a few values only, e.g. vs30 classes)")
    ap.add_argument("--rupture-param", action="append", default=[], metavar="NAME",
                    help="an input rupture parameter of EXTRA_RUPTURE that the model reads "
                         "without declaring it (e.g. in_cshm)")
    ap.add_argument("--site-param", action="append", default=[], metavar="NAME",
                    help="a site parameter of EXTRA_SITE that the model reads without "
                         "declaring it (e.g. amplfactor of apply_swiss_amplification)")
    ap.add_argument("--distance", action="append", default=[], metavar="NAME",
                    help="a distance the model's OpenQuake implementation reads without "
                         "declaring it (through a sub-model, e.g. rhypo)")
    ap.add_argument("--per-row", action="store_true",
                    help="evaluate each context alone (for a model whose OpenQuake "
                         "implementation mixes the contexts of one call)")
    ap.add_argument("--fix", action="append", default=[], metavar="NAME=VALUE",
                    help="give every context the same value of a parameter (e.g. vs30=600 "
                         "for a model defined for a few vs30 only)")
    ap.add_argument("--japan", action="store_true",
                    help="site positions in Japan (JAPAN_SITE) instead of EXTRA_SITE's")
    args = ap.parse_args(argv)
    gsim = _build_gsim(args.model)
    ctx = contexts(args.n, args.seed, args.family,
                   tuple(float(x) for x in args.mags.split(",")))
    for item in args.set:
        name, _, values = item.partition("=")
        ctx[name] = np.resize(np.array([float(v) for v in values.split(",")]), args.n)
    rng = ctx.pop("rng")
    n = args.n
    rup = sorted(set(gsim.REQUIRES_RUPTURE_PARAMETERS) | set(args.rupture_param),
                 key=lambda p: (ORDER_RUP + [p]).index(p))
    for p in args.rupture_param:
        ctx[p] = EXTRA_RUPTURE[p](rng, n)
    dist = sorted(set(gsim.REQUIRES_DISTANCES) | set(args.distance), key=lambda p: (ORDER_DIST + [p]).index(p))
    site = sorted(set(gsim.REQUIRES_SITES_PARAMETERS) | set(args.site_param),
                  key=lambda p: (ORDER_SITE + [p]).index(p))
    site_gens = dict(EXTRA_SITE, **(JAPAN_SITE if args.japan else {}))
    for p in site:
        if p not in ctx:
            if p not in site_gens:
                sys.exit(f"no generator for site parameter {p!r}: add one to EXTRA_SITE")
            ctx[p] = site_gens[p](rng, n, ctx["vs30"])
    for p in rup + dist:
        if p not in ctx and p in EXTRA_RUPTURE:
            ctx[p] = EXTRA_RUPTURE[p](rng, n)
        if p not in ctx:
            sys.exit(f"no generator for parameter {p!r}: add one to contexts()")
    for item in args.fix:
        name, value = item.split("=", 1)
        ctx[name] = np.full(n, float(value))
    if args.imts:
        imts = [oqimt.from_string(s) for s in args.imts.split(",")]
    else:
        imts = []
        names = {c.__name__ for c in gsim.DEFINED_FOR_INTENSITY_MEASURE_TYPES}
        for name in ("PGA", "PGV"):
            if name in names:
                imts.append(oqimt.from_string(name))
        if "SA" in names:
            from openquake.hazardlib.gsim.base import CoeffsTable
            tables = [getattr(gsim, a) for a in dir(gsim) if a.startswith("COEFFS")
                      and isinstance(getattr(gsim, a), CoeffsTable)]
            periods = sorted({im.period for im in tables[0].sa_coeffs}) if tables \
                else [0.1, 0.2, 0.5, 1.0, 2.0]
            imts += [oqimt.SA(p) for p in periods]
    params = rup + dist + site
    dtype = [(p, (ctx[p].dtype if ctx[p].dtype.kind == "S" else
                  bool if p in ("vs30measured", "backarc", "in_cshm") else float))
           for p in params]
    dtype += [("occurrence_rate", float), ("sids", np.uint32), ("rup_id", np.uint32)]
    rec = np.zeros(n, dtype).view(np.recarray)
    for p in params:
        rec[p] = ctx[p]
    rec["occurrence_rate"] = np.nan
    rec["sids"] = np.arange(n)
    rec["rup_id"] = np.arange(n)
    M = len(imts)
    mean, sig, tau, phi = (np.zeros((M, n)) for _ in range(4))
    if args.by_mag:  # table models take one magnitude per call
        for mag in np.unique(rec["mag"]):
            idx = np.flatnonzero(rec["mag"] == mag)
            out = [np.zeros((M, len(idx))) for _ in range(4)]
            gsim.compute(rec[idx], imts, *out)
            for arr, part in zip((mean, sig, tau, phi), out):
                arr[:, idx] = part
    elif args.per_row:
        for i in range(n):
            out = [np.zeros((M, 1)) for _ in range(4)]
            gsim.compute(rec[i:i + 1], imts, *out)
            for arr, o in zip((mean, sig, tau, phi), out):
                arr[:, i] = o[:, 0]
    else:
        gsim.compute(rec, imts, mean, sig, tau, phi)
    stds = {str(s) for s in gsim.DEFINED_FOR_STANDARD_DEVIATION_TYPES}
    groups = [("MEAN", np.exp(mean)), ("TOTAL_STDDEV", sig)]
    if "Inter event" in stds:
        groups.append(("INTER_EVENT_STDDEV", tau))
    if "Intra event" in stds:
        groups.append(("INTRA_EVENT_STDDEV", phi))
    prefix = {**{p: "rup_" for p in rup}, **{p: "dist_" for p in dist}, **{p: "site_" for p in site}}
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([prefix[p] + p for p in params] + ["result_type", "damping"] +
                   [_imt_column(im) for im in imts])
        for rtype, values in groups:
            for i in range(n):
                inputs = []
                for p in params:
                    v = rec[p][i]
                    inputs.append(v.decode() if isinstance(v, bytes) else
                                  (int(v) if p in ("vs30measured", "backarc", "in_cshm") or
                                   isinstance(v, (bool, np.bool_)) else float(v)))
                w.writerow(inputs + [rtype, 5] + ["%.12g" % values[m, i] for m in range(M)])
    print(f"wrote {args.out}: {len(groups) * n} rows, {M} IMTs, inputs {params}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
