"""Input confinement (oqcore.inputs.resolve_input) and its use by the job.ini reader and
the source-model logic tree."""
from __future__ import annotations

import os

import pytest

from oqcore.errors import InvalidInput
from oqcore.hazard.logictree import SourceModelLogicTree
from oqcore.inputs import inside, resolve_input

SMLT = """<?xml version="1.0" encoding="utf-8"?>
<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">
  <logicTree logicTreeID="lt1">
    <logicTreeBranchSet uncertaintyType="sourceModel" branchSetID="bs1">
      <logicTreeBranch branchID="b1">
        <uncertaintyModel>%s</uncertaintyModel>
        <uncertaintyWeight>1.0</uncertaintyWeight>
      </logicTreeBranch>
    </logicTreeBranchSet>
  </logicTree>
</nrml>
"""


@pytest.fixture
def tree(tmp_path):
    """An upload directory ``up`` (with sub/), a sibling ``other`` and a secret file."""
    up = tmp_path / "up"
    (up / "sub").mkdir(parents=True)
    (up / "sm.xml").write_text("x")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "secret.xml").write_text("secret")
    return tmp_path


def test_resolve_inside(tree):
    up = str(tree / "up")
    assert resolve_input("sm.xml", up, up) == os.path.realpath(os.path.join(up, "sm.xml"))
    assert resolve_input("../sm.xml", os.path.join(up, "sub"), up).endswith("up/sm.xml")
    assert resolve_input("missing.xml", up, up).endswith("missing.xml")  # no existence check


@pytest.mark.parametrize("path", ["../other/secret.xml", "/etc/passwd", "/proc/self/environ",
                                  "sub/../../other/secret.xml", "~/x", "../up2/x"])
def test_resolve_outside_refused(tree, path):
    up = str(tree / "up")
    with pytest.raises(InvalidInput) as info:
        resolve_input(path, up, up, param="source_model_file")
    err = info.value
    assert err.param == "source_model_file"
    assert str(tree) not in err.msg  # never the resolved server path


def test_resolve_symlink_out_refused(tree):
    up = tree / "up"
    os.symlink(tree / "other" / "secret.xml", up / "link.xml")
    os.symlink(tree / "other", up / "dirlink")
    for path in ("link.xml", "dirlink/secret.xml"):
        with pytest.raises(InvalidInput):
            resolve_input(path, str(up), str(up))
        assert not inside(str(up / path), str(up))


def test_resolve_unconfined_and_nul(tree):
    up = str(tree / "up")
    assert resolve_input("/etc/passwd", up) == "/etc/passwd"  # the command line
    assert resolve_input("../other/secret.xml", up) == str(tree / "other" / "secret.xml")
    with pytest.raises(InvalidInput):
        resolve_input("a\0b", up)


def test_logic_tree_confined(tree):
    up = tree / "up"
    (up / "lt.xml").write_text(SMLT % "../other/secret.xml")
    lt = SourceModelLogicTree.from_file(str(up / "lt.xml"))  # the CLI: anywhere
    assert lt.source_model_files(lt.paths()[0][0])[0].endswith("secret.xml")
    with pytest.raises(InvalidInput) as info:
        SourceModelLogicTree.from_file(str(up / "lt.xml"), str(up))
    assert info.value.lineno == 5 and str(tree) not in info.value.msg
    (up / "lt2.xml").write_text(SMLT % "sm.xml")
    lt = SourceModelLogicTree.from_file(str(up / "lt2.xml"), str(up))
    assert lt.source_model_files(lt.paths()[0][0]) == [os.path.realpath(up / "sm.xml")]


def test_job_ini_confined(tree):
    from oqcore import load_registry
    from oqcore.params import read_job_ini
    up = tree / "up"
    reg = load_registry()
    for value in ("../other/secret.xml", "/etc/passwd", "sm.xml ../other/secret.xml"):
        (up / "job.ini").write_text("[general]\ncalculation_mode = classical\n"
                                    "source_model_file = %s\n" % value)
        with pytest.raises(InvalidInput) as info:
            read_job_ini(str(up / "job.ini"), reg, root=str(up))
        assert info.value.param == "source_model_file" and info.value.lineno == 3
        assert str(tree) not in info.value.msg
    params = read_job_ini(str(up / "job.ini"), reg)  # no root: the CLI reads anything
    assert params.input_root is None


@pytest.mark.parametrize("data", [b"[general]\ndescription = caf\xe9\n",
                                  b"\x00\x01\x02binary\xff", b"\xff\xfe\x00[\x00"])
def test_job_ini_not_text(tmp_path, data):
    from oqcore.params import read_ini_text
    (tmp_path / "job.ini").write_bytes(data)
    with pytest.raises(InvalidInput) as info:
        read_ini_text(str(tmp_path / "job.ini"))
    assert "UTF-8" in info.value.msg or "binary" in info.value.msg


@pytest.mark.parametrize("data", [b"lon,lat,vs30\n0,0,caf\xe9\n", b"", b"lon,lat\n\x00\x00\n"])
def test_site_csv_not_text(tmp_path, data):
    from oqcore.hazard.site import read_site_model
    (tmp_path / "sites.csv").write_bytes(data)
    with pytest.raises(InvalidInput) as info:
        read_site_model(str(tmp_path / "sites.csv"))
    assert info.value.fname.endswith("sites.csv")
    assert info.value.lineno in (None, 2)
