"""GMPETable: OpenQuake's HDF5 GMPE tables, checked against OpenQuake 3.26.2."""
import os

import numpy as np
import pytest

from oqcore import load_registry
from oqcore.errors import InvalidInput
from oqcore.hazard.gsim.base import make_context
from oqcore.hazard.gsim.gmpe_table import GMPETable, median_linear, median_loglog
from oqcore.hazard.gsim.verification import check
from oqcore.hazard.imt import IMT
from oqcore.hazard.logictree import parse_gsim

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "gsim_tables")
TABLE = os.path.join(DATA, "Wcrust_med_rhypo.hdf5")


def test_gmpe_table_matches_openquake():
    gsim = GMPETable(gmpe_table=TABLE)
    assert gsim.REQUIRES_DISTANCES == {"rhypo"}
    results = check(gsim, os.path.join(DATA, "verification_Wcrust_med_rhypo.csv"))
    worst = max(r[2] for r in results)
    assert worst <= 1e-6, sorted(results, key=lambda r: -r[2])[:3]


def test_path_is_relative_to_the_logic_tree_file(tmp_path):
    text = '[GMPETable]\ngmpe_table = "Wcrust_med_rhypo.hdf5"'
    gsim = parse_gsim(text, load_registry(), fname=os.path.join(DATA, "gmpe_lt.xml"))
    assert os.path.samefile(gsim.gmpe_table, TABLE)
    with pytest.raises(InvalidInput) as err:
        parse_gsim(text, load_registry(), fname=str(tmp_path / "gmpe_lt.xml"), lineno=7)
    assert "Wcrust_med_rhypo.hdf5 not found" in str(err.value)
    assert str(tmp_path) not in err.value.msg


def test_missing_argument_and_bad_file(tmp_path):
    with pytest.raises(InvalidInput, match="needs the argument gmpe_table"):
        GMPETable()
    bad = tmp_path / "bad.hdf5"
    bad.write_text("not hdf5")
    with pytest.raises(InvalidInput, match="not a GMPE table"):
        GMPETable(gmpe_table=str(bad))


def test_magnitudes_below_the_table_are_refused_and_above_are_capped():
    gsim = GMPETable(gmpe_table=TABLE)
    imts = [IMT.from_string("PGA")]
    with pytest.raises(InvalidInput, match="below the range"):
        gsim.get_mean_stds(make_context(1, mag=4.0, rhypo=20.0), imts)
    top = gsim.get_mean_stds(make_context(1, mag=9.0, rhypo=20.0), imts)
    above = gsim.get_mean_stds(make_context(1, mag=9.4, rhypo=20.0), imts)
    np.testing.assert_array_equal(top, above)


def test_distance_interpolation_ends():
    values = np.array([1.0, 0.5, 0.1])
    table = np.array([1.0, 10.0, 100.0])
    d = np.array([0.0, 1.0005, 5.5, 100.0005, 100.01])
    np.testing.assert_allclose(median_linear(values, d, table), [1.0, 1.0, 0.75, 0.1, 1e-20])
    loglog = median_loglog(values, np.array([0.0, np.sqrt(10.0), 200.0]), table)
    np.testing.assert_allclose(loglog, [1.0, np.sqrt(0.5), 1e-20])


def test_nbcc_toml_form_equals_its_named_variant():
    reg = load_registry()
    toml = ('[NBCC2015_AA13]\ngmpe_table = "WcrustFRjb_low_clC.hdf5"\n'
            'REQUIRES_DISTANCES = ["rjb"]\nDEFINED_FOR_TECTONIC_REGION_TYPE = "activecrustFR"')
    gsim = parse_gsim(toml, reg, fname="/somewhere/gmmLT.xml")
    named = parse_gsim("NBCC2015_AA13_activecrustFRjb_low", reg)
    ctx = make_context(3, mag=[5.0, 6.37, 7.5], rjb=[0.0, 30.0, 400.0],
                       vs30=[200.0, 450.0, 1500.0])
    imts = [IMT.from_string(s) for s in ("PGA", "SA(0.3)", "PGV")]
    np.testing.assert_array_equal(gsim.get_mean_stds(ctx, imts),
                                  named.get_mean_stds(ctx, imts))
    with pytest.raises(InvalidInput, match="table WcrustFRjb_low_clC.hdf5 is by rjb"):
        parse_gsim(toml.replace('["rjb"]', '["rrup"]'), reg)
    with pytest.raises(InvalidInput, match="unknown table"):
        parse_gsim(toml.replace("WcrustFRjb_low", "Nowhere"), reg)


def test_canada_shm6_period_range_and_hard_rock_factor():
    from oqcore.hazard.gsim.base import UnknownIMT
    from oqcore.hazard.gsim.canada_shm6 import hardrock_site_factor
    gsim = parse_gsim("CanadaSHM6_ActiveCrust_BooreEtAl2014", load_registry())
    ctx = make_context(1, mag=6.0, rake=0.0, rjb=10.0, vs30=1500.0)
    with pytest.raises(UnknownIMT, match="0.05 to 10.0 s"):
        gsim.get_mean_stds(ctx, [IMT.from_string("SA(0.02)")])
    # between the anchors the factor is log-log interpolated; at 2000 m/s it is capped
    sa02 = IMT.from_string("SA(0.2)")  # AB06 760-to-2000 factor ln(1/1.318) = -0.276
    f = hardrock_site_factor(-0.1, -0.3, np.array([1100.0, np.sqrt(1100 * 2000), 3000.0]),
                             sa02)
    ab06 = np.log(1 / 1.318)
    np.testing.assert_allclose(f, [-0.1, (-0.1 + ab06) / 2, ab06])
    # at 2000 m/s: min(A1100, max(A2000, AB06)); for PGA ln(1/0.891) > 0 caps it at A1100
    f = hardrock_site_factor(-0.1, -0.3, np.array([2000.0]), IMT.from_string("PGA"))
    np.testing.assert_allclose(f, [-0.1])


def test_table_paths_stay_inside_the_upload(tmp_path):
    (tmp_path / "job").mkdir()
    lt_file = str(tmp_path / "job" / "gmpe_lt.xml")
    for path in ("../secret.hdf5", "/etc/passwd"):
        text = '[GMPETable]\ngmpe_table = "%s"' % path
        with pytest.raises(InvalidInput) as err:
            parse_gsim(text, load_registry(), fname=lt_file, lineno=3,
                       input_root=str(tmp_path / "job"))
        assert path in err.value.msg and "passwd" not in err.value.msg.replace(path, "")
