"""The job of an AELO request: the model's ``job_vs30.ini`` with the AELO overrides."""
from __future__ import annotations

import base64
import configparser
import hashlib
import os
import shutil

from oqcore.aelo import mosaic
from oqcore.errors import InvalidInput

#: annual probabilities of 2, 5, 10, 20 and 50 % in 50 years, by investigation time
AELO_POES = {1.0: "0.000404 0.001025 0.002105 0.004453 0.013767",
             50.0: "0.02 0.05 0.10 0.20 0.50"}
#: (IMT, highest level in g) of the ASCE 7-16 levels: 25 log-spaced from 0.005 g
ASCE716_IMTS = (("PGA", 3.0), ("SA(0.2)", 9.0), ("SA(1.0)", 3.0))
#: keys of the model's ini that AELO drops (post-processing of the reference engine,
#: export folders of the model builder)
DROPPED = ("postproc_func", "postproc_args", "export_dir", "calculation_mode",
           "individual_curves")


def site_id(description: str) -> str:
    """URL-safe base64 of the first 6 bytes of SHA-256(description) (8 characters)."""
    digest = hashlib.sha256(description.encode("utf-8")).digest()[:6]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def asce716_levels() -> str:
    """The ``intensity_measure_types_and_levels`` of an ASCE 7-16 job (JSON)."""
    return "{%s}" % ", ".join('"%s": logscale(0.005, %s, 25)' % (imt, top)
                              for imt, top in ASCE716_IMTS)


def overrides(values: dict, code: str, investigation_time: float) -> dict:
    """The AELO parameters that replace the model's ones.

    :param values: the checked request (see :func:`oqcore.aelo.site_inputs.check_site_inputs`)
    :param code: the mosaic model code
    :param investigation_time: the model's investigation time (1 or 50 years)
    """
    if investigation_time not in AELO_POES:
        raise InvalidInput("the %s model has investigation_time = %s; AELO needs 1 or 50"
                           % (code, investigation_time), param="investigation_time")
    description = "AELO for %s" % values["site_name"]
    vs30 = values["vs30"]
    out = {
        "calculation_mode": "aelo",
        "description": description,
        "sites": "%s %s" % (round(values["lon"], 5), round(values["lat"], 5)),
        "mosaic_model": code,
        "siteid": site_id(description),
        "override_vs30": " ".join(repr(float(v)) for v in vs30),
        "max_sites_disagg": str(len(vs30)),
        "asce_version": values["asce_version"],
        "site_class": values["site_class"],
        "ps_grid_spacing": "0.",
        "pointsource_distance": "100.",
        "truncation_level": "3.",
        "disagg_by_src": "true",
        "uniform_hazard_spectra": "true",
        "use_rates": "true",
        "epsilon_star": "true",
        "mag_bin_width": "0.1",
        "distance_bin_width": "20",
        "num_epsilon_bins": "10",
        "poes": AELO_POES[investigation_time],
    }
    if values["asce_version"] == "ASCE7-16":
        out["intensity_measure_types_and_levels"] = asce716_levels()
    return out


def _read_model_ini(path: str) -> configparser.ConfigParser:
    cp = configparser.ConfigParser(interpolation=None)
    try:
        cp.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise InvalidInput("the model's job_vs30.ini is invalid (%s)" % type(exc).__name__,
                           fname=os.path.basename(path)) from None
    return cp


def write_job(values: dict, folder: str, dest: str) -> tuple[str, str]:
    """Copy the model of the site into ``dest`` and write ``dest/job.ini``.

    :param values: the checked request
    :param folder: the mosaic folder
    :param dest: an empty job folder (the model's ``in/`` files are copied, or hard
        linked where possible, so that the job's inputs stay inside it)
    :returns: (path of the job.ini, model code)
    :raises InvalidInput: site outside every model, model folder missing
    """
    code = mosaic.find_model(values["lon"], values["lat"], folder)
    ini = mosaic.model_ini(folder, code)
    cp = _read_model_ini(ini)
    try:
        itime = float(cp.get("calculation", "investigation_time", fallback="") or
                      cp.get("general", "investigation_time", fallback="1"))
    except ValueError:
        raise InvalidInput("invalid investigation_time", fname="job_vs30.ini") from None
    new = overrides(values, code, itime)
    for section in cp.sections():
        for key in list(cp[section]):
            if key in new or key in DROPPED:
                cp.remove_option(section, key)
    if not cp.has_section("general"):
        cp.add_section("general")
    for key, val in new.items():
        cp.set("general", key, val)
    _copy_tree(os.path.dirname(ini), dest)
    path = os.path.join(dest, "job.ini")
    with open(path, "w", encoding="utf-8") as f:
        cp.write(f)
    return path, code


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _copy_tree(src: str, dest: str) -> None:
    """The files of ``src`` into ``dest`` (without the model's own job files)."""
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        target = os.path.normpath(os.path.join(dest, rel))
        os.makedirs(target, exist_ok=True)
        for name in files:
            if rel == "." and name.endswith(".ini"):
                continue
            _link_or_copy(os.path.join(root, name), os.path.join(target, name))
