"""The PNG pictures of an AELO calculation, as bytes: governing MCE spectra, mean hazard
curves and the mean hazard by source. The aelo calculator stores them in its datastore as
``png/<name>`` (uint8 arrays), where ``GET /v1/calc/ID/download_png/<name>`` finds them."""
from __future__ import annotations

import io

import numpy as np

#: the picture names, as the AELO web page asks for them
GOVERNING_MCE = "governing_mce.png"
HCURVES = "hcurves.png"
DISAGG_BY_SRC = "disagg_by_src-All-IMTs.png"


def _figure(width: float = 8.0, height: float = 5.0):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height))  # not through pyplot: nothing stays open
    return fig, fig.add_subplot()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def governing_mce_png(records: list[dict]) -> bytes:
    """The MCE (governing), ProbMCE and DLL spectra of every site.

    :param records: the ``aelo_mce`` records (custom_site_id, period (s), MCE, ProbMCE,
        DetMCE, DLL in g, maximum direction)
    """
    fig, ax = _figure()
    for cid in dict.fromkeys(r["custom_site_id"] for r in records):
        mine = [r for r in records if r["custom_site_id"] == cid]
        periods = [r["period"] for r in mine]
        for name, style in (("MCE", "-"), ("ProbMCE", "--"), ("DetMCE", "-."),
                            ("DLL", ":")):
            ax.plot(periods, [r[name] for r in mine], style, label="%s %s" % (name, cid))
    ax.set_xlabel("Period (s)")
    ax.set_ylabel("Spectral acceleration (g), maximum direction")
    ax.grid(True)
    ax.legend(fontsize="small")
    return _png(fig)


def hcurves_png(imtls: dict, curves: np.ndarray, investigation_time: float,
                site_name: str = "") -> bytes:
    """The mean hazard curves of one site, one line per IMT, as annual frequencies of
    exceedance.

    :param imtls: {IMT: levels (L,)} (g or cm/s)
    :param curves: (M, L) probabilities of exceedance in ``investigation_time`` years
    """
    fig, ax = _figure()
    for m, (imt, levels) in enumerate(imtls.items()):
        poes = np.clip(np.asarray(curves[m], float), 0.0, 1.0 - 1e-16)
        afe = -np.log1p(-poes) / investigation_time
        keep = afe > 0
        ax.loglog(np.asarray(levels)[keep], afe[keep], label=imt)
    for rate, text in ((1 / 2475, "2% in 50 years"), (1 / 475, "10% in 50 years")):
        ax.axhline(rate, color="grey", linewidth=0.8, linestyle="--")
        ax.annotate(text, (ax.get_xlim()[0], rate), fontsize="x-small", va="bottom")
    ax.set_xlabel("Ground-motion level (g)")
    ax.set_ylabel("Annual frequency of exceedance")
    ax.set_title("Mean hazard curves %s" % site_name)
    ax.grid(True, which="both", linewidth=0.3)
    ax.legend(fontsize="small")
    return _png(fig)


def disagg_by_src_png(imtls: dict, rates_by_src: np.ndarray, src_ids: list,
                      max_sources: int = 10) -> bytes:
    """The mean annual rates of exceedance of one site by source: one panel per IMT,
    the ``max_sources`` sources with the largest rates.

    :param rates_by_src: (M, L, S) annual rates
    """
    M = len(imtls)
    ncols = min(M, 3)
    nrows = -(-M // ncols)
    fig, _ = _figure(5.0 * ncols, 4.0 * nrows)
    fig.clf()
    for m, (imt, levels) in enumerate(imtls.items()):
        ax = fig.add_subplot(nrows, ncols, m + 1)
        rates = np.asarray(rates_by_src[m], float)  # (L, S)
        top = np.argsort(rates.max(axis=0))[::-1][:max_sources]
        for s in top:
            keep = rates[:, s] > 0
            if keep.any():
                ax.loglog(np.asarray(levels)[keep], rates[keep, s], label=str(src_ids[s]))
        ax.set_title(imt, fontsize="small")
        ax.set_xlabel("Ground-motion level (g)", fontsize="small")
        ax.set_ylabel("Annual rate", fontsize="small")
        ax.grid(True, which="both", linewidth=0.3)
        ax.legend(fontsize="xx-small")
    fig.tight_layout()
    return _png(fig)
