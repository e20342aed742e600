"""A minimal PEP 517 / PEP 660 build backend (standard library only).

It builds a pure-Python wheel of the packages under ``src/`` with the metadata and the
entry points of ``pyproject.toml``; ``build_editable`` makes a wheel holding a ``.pth``
file pointing at ``src/``. It writes nothing into the source tree.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(HERE, "src")


def _project() -> dict:
    with open(os.path.join(HERE, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _names(project: dict) -> tuple[str, str]:
    dist = project["name"].replace("-", "_").replace(".", "_")
    return dist, project["version"]


def _metadata(project: dict) -> str:
    lines = ["Metadata-Version: 2.1", "Name: %s" % project["name"],
             "Version: %s" % project["version"]]
    if project.get("description"):
        lines.append("Summary: %s" % project["description"])
    if project.get("requires-python"):
        lines.append("Requires-Python: %s" % project["requires-python"])
    for dep in project.get("dependencies", []):
        lines.append("Requires-Dist: %s" % dep)
    return "\n".join(lines) + "\n"


def _entry_points(project: dict) -> str:
    out = []
    for group, eps in project.get("entry-points", {}).items():
        out.append("[%s]" % group)
        out.extend("%s = %s" % (k, v) for k, v in eps.items())
        out.append("")
    return "\n".join(out)


def _dist_info(project: dict, top_level: list[str]) -> dict[str, str]:
    return {
        "METADATA": _metadata(project),
        "WHEEL": "Wheel-Version: 1.0\nGenerator: oqex_backend\nRoot-Is-Purelib: true\n"
                 "Tag: py3-none-any\n",
        "entry_points.txt": _entry_points(project),
        "top_level.txt": "\n".join(top_level) + "\n",
    }


def _packages() -> list[str]:
    return sorted(d for d in os.listdir(SRC)
                  if os.path.isfile(os.path.join(SRC, d, "__init__.py")))


def _source_files() -> dict[str, bytes]:
    files = {}
    for pkg in _packages():
        for root, dirs, names in os.walk(os.path.join(SRC, pkg)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(root, name)
                arc = os.path.relpath(path, SRC).replace(os.sep, "/")
                with open(path, "rb") as f:
                    files[arc] = f.read()
    return files


def _write_wheel(wheel_directory: str, files: dict[str, bytes]) -> str:
    project = _project()
    dist, version = _names(project)
    info_dir = "%s-%s.dist-info" % (dist, version)
    for name, text in _dist_info(project, _packages()).items():
        files["%s/%s" % (info_dir, name)] = text.encode("utf-8")
    record = io.StringIO()
    for arc, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.write("%s,sha256=%s,%d\n" % (arc, digest.decode("ascii"), len(data)))
    record.write("%s/RECORD,,\n" % info_dir)
    files["%s/RECORD" % info_dir] = record.getvalue().encode("utf-8")
    basename = "%s-%s-py3-none-any.whl" % (dist, version)
    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(wheel_directory, basename), "w",
                         zipfile.ZIP_DEFLATED) as zf:
        for arc, data in files.items():
            zf.writestr(zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return basename


# ------------------------------------------------------------------ PEP 517 hooks
def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    dist, version = _names(project)
    info_dir = "%s-%s.dist-info" % (dist, version)
    os.makedirs(os.path.join(metadata_directory, info_dir), exist_ok=True)
    for name, text in _dist_info(project, _packages()).items():
        with open(os.path.join(metadata_directory, info_dir, name), "w",
                  encoding="utf-8") as f:
            f.write(text)
    return info_dir


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, _source_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    dist, _ = _names(_project())
    return _write_wheel(wheel_directory, {"%s.pth" % dist: (SRC + "\n").encode("utf-8")})


def build_sdist(sdist_directory, config_settings=None):
    import tarfile
    dist, version = _names(_project())
    base = "%s-%s" % (dist, version)
    os.makedirs(sdist_directory, exist_ok=True)
    path = os.path.join(sdist_directory, base + ".tar.gz")
    pkg_info = _metadata(_project()).encode("utf-8")
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("%s/PKG-INFO" % base)
        info.size = len(pkg_info)
        tar.addfile(info, io.BytesIO(pkg_info))
        for rel in ["pyproject.toml", "_build/oqex_backend.py"] + [
                "src/" + arc for arc in _source_files()]:
            tar.add(os.path.join(HERE, rel), arcname="%s/%s" % (base, rel))
    return os.path.basename(path)
