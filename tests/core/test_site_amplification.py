"""Site amplification functions: reading and checking amplification_csv files, the
convolution of rock hazard curves and the kernel method, against direct numpy
computations and closed-form lognormal results."""
import types

import numpy as np
import pytest
from scipy.stats import norm

from oqcore.errors import InvalidInput
from oqcore.hazard import site_amplification as sa
from oqcore.hazard.stats import truncnorm_sf


def write(tmp_path, text, name="amp.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def table_of(tmp_path, text):
    return sa.read_amplification_table(write(tmp_path, text))


LEVELS_TABLE = """#,,,vs30_ref=760
ampcode,level,PGA,sigma_PGA
A,0.05,2.0,0.2
A,0.5,1.5,0.3
A,1.0,1.1,0.4
"""


# ----------------------------------------------------------------- reading

def test_read_levels_sigmas_and_vs30_ref(tmp_path):
    table = table_of(tmp_path, LEVELS_TABLE)
    assert table.vs30_ref == 760.0
    assert table.imts == ["PGA"]
    assert table.codes == ["A"]
    fn = table.function("A")
    med, sig = fn.at("PGA", np.array([0.01, 0.05, 0.275, 1.0, 3.0]))
    np.testing.assert_allclose(med, [2.0, 2.0, 1.75, 1.1, 1.1])
    np.testing.assert_allclose(sig, [0.2, 0.2, 0.25, 0.4, 0.4])
    assert table.max_sigma() == 0.4


def test_quoted_header_and_canonical_imt_names(tmp_path):
    table = table_of(tmp_path, '#,,"vs30_ref=800"\nampcode,SA(5),PGA\nA,1.5,2\nB,1,1\n')
    assert table.vs30_ref == 800.0
    assert table.imts == ["SA(5.0)", "PGA"]
    med, sig = table.function("A").at("SA(5.0)", np.array([0.1, 2.0]))
    np.testing.assert_allclose(med, [1.5, 1.5])
    np.testing.assert_allclose(sig, [0.0, 0.0])  # no sigma column: certain factors


BAD_FILES = [
    ("ampcode,PGA\nA,1\n", "missing vs30_ref", 1),
    ("#vs30_ref=abc\nampcode,PGA\nA,1\n", "vs30_ref=abc is not a positive number", 1),
    ("#vs30_ref=760\nampcode,PGA\nA,x\n", "PGA='x' is not a number", 3),
    ("#vs30_ref=760\nampcode,PGA\nA,0\n", "PGA=0 must be > 0", 3),
    ("#vs30_ref=760\nampcode,PGA,sigma_PGA\nA,1,-0.1\n", "sigma_PGA=-0.1 must be >= 0", 3),
    ("#vs30_ref=760\nampcode,level,PGA\nA,0.1,1\nA,0.2,1\nA,0.1,2\n",
     "duplicate function for ampcode A level=0.1 \\(line 3\\)", 5),
    ("#vs30_ref=760\nampcode,PGA\nA,1\nA,2\n", "duplicate function for ampcode A", 4),
    ("#vs30_ref=760\nampcode,PGA,foo\nA,1,2\n", "unknown column 'foo'", 2),
    ("#vs30_ref=760\ncode,PGA\nA,1\n", "missing column ampcode", 2),
    ("#vs30_ref=760\nampcode,PGA,sigma_SA(1.0)\nA,1,2\n", "column sigma_SA\\(1.0\\) has no", 2),
    ("#vs30_ref=760\nampcode,PGV\nA,1\n", "works only with PGA and SA", 2),
    ("#vs30_ref=760\nampcode,PGA,SA(0)\nA,1,1\n", "are the same IMT", 2),
    ("#vs30_ref=760\nampcode,level\nA,1\n", "no IMT column", 2),
    ("#vs30_ref=760\nampcode,from_mag,PGA\nA,5,1\n", "from_mag and from_rrup go together", 2),
    ("#vs30_ref=760\nampcode,level,PGA\nA,-1,1\n", "level=-1 must be > 0", 3),
    ("#vs30_ref=760\nampcode,PGA\n,1\n", "empty ampcode", 3),
    ("#vs30_ref=760\nampcode,PGA\nA,1,2\n", "expected 2 columns, got 3", 3),
    ("#vs30_ref=760\nampcode,from_mag,from_rrup,PGA\nA,4,0,1\nA,5,0,1\nA,4,20,1\n",
     "no function for from_mag=5.0 from_rrup=20.0", None),
]


@pytest.mark.parametrize("text,match,lineno", BAD_FILES)
def test_bad_files_fail_with_file_line_and_reason(tmp_path, text, match, lineno):
    fname = write(tmp_path, text)
    with pytest.raises(InvalidInput, match=match) as exc:
        sa.read_amplification_table(fname)
    assert exc.value.fname == fname
    assert exc.value.lineno == lineno


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "amp.csv"
    path.write_bytes(b"#vs30_ref=760\nampcode,PGA\nA,1\n\xff\xfe,2\n")
    with pytest.raises(InvalidInput, match="not a UTF-8 text file") as exc:
        sa.read_amplification_table(str(path))
    assert exc.value.fname == str(path)


def job(imts=("PGA",), method="convolution", soil=(0.1, 0.2)):
    return types.SimpleNamespace(imts=list(imts), amplification_method=method,
                                 soil_intensities=list(soil) if soil else None)


def test_check_job(tmp_path):
    table = table_of(tmp_path, LEVELS_TABLE)
    sa.check_job(table, job())
    sa.check_job(table, job(method="kernel", soil=None))
    with pytest.raises(InvalidInput, match="no amplification column for SA\\(1.0\\)"):
        sa.check_job(table, job(imts=("PGA", "SA(1.0)")))
    with pytest.raises(InvalidInput, match="at least 2 soil intensities") as exc:
        sa.check_job(table, job(soil=None))
    assert exc.value.param == "soil_intensities"
    with pytest.raises(InvalidInput, match="positive and increasing"):
        sa.check_job(table, job(soil=(0.2, 0.1)))
    with pytest.raises(InvalidInput, match="only by amplification_method = convolution"):
        sa.check_job(table, job(method="kernel"))
    binned = table_of(tmp_path, "#vs30_ref=760\nampcode,from_mag,from_rrup,PGA\nA,4,0,1\n")
    with pytest.raises(InvalidInput, match="bins need amplification_method = kernel"):
        sa.check_job(binned, job())


def sites(codes, vs30=760.0):
    dt = [("lon", float), ("lat", float), ("vs30", float), ("ampcode", "S8")]
    arr = np.zeros(len(codes), dt)
    arr["lon"] = np.arange(len(codes))
    arr["ampcode"] = codes
    arr["vs30"] = vs30
    return types.SimpleNamespace(array=arr)


def test_site_codes(tmp_path):
    one = table_of(tmp_path, LEVELS_TABLE)
    assert list(sa.site_codes(one, sites([b"", b"A"]))) == ["A", "A"]
    two = table_of(tmp_path, "#vs30_ref=760\nampcode,PGA\nA,1\nB,2\n")
    assert list(sa.site_codes(two, sites([b"B", b"A"]))) == ["B", "A"]
    with pytest.raises(InvalidInput, match="site 1 .* has no ampcode .* several"):
        sa.site_codes(two, sites([b"A", b""]), "sm.xml")
    with pytest.raises(InvalidInput, match="ampcode C is not in") as exc:
        sa.site_codes(two, sites([b"C", b"A"]), "sm.xml")
    assert exc.value.fname == "sm.xml"


def test_check_vs30(tmp_path):
    table = table_of(tmp_path, LEVELS_TABLE)
    sa.check_vs30(table, np.array([750.0, 780.0]), 20)
    with pytest.raises(InvalidInput, match="vs30=800.0 of site 1 differs") as exc:
        sa.check_vs30(table, np.array([750.0, 800.0]), 20)
    assert exc.value.param == "vs30_tolerance"
    sa.check_vs30(table, np.array([750.0, 800.0]), -1)  # check disabled

    class Soft:
        DEFINED_FOR_REFERENCE_VELOCITY = 700.0

        def __str__(self):
            return "[Soft]"
    with pytest.raises(InvalidInput, match="Soft.*reference vs30 of 700.0 m/s, below"):
        sa.check_vs30(table, np.array([760.0]), 0, [Soft()])
    sa.check_vs30(table, np.array([760.0]), -1, [Soft()])


# ----------------------------------------------------------------- convolution

def direct_convolution(rock_levels, rock_poes, soil, af_levels, af_med, af_sig):
    """The convolution written out interval by interval (the module docstring)."""
    ratio = min(max(np.min(soil[1:] / soil[:-1]) * 0.9, 1.05), 1.1)
    grid = [rock_levels[0]]
    while grid[-1] < rock_levels[-1]:
        grid.append(grid[-1] * ratio)
    grid = np.array([g for g in grid if g <= rock_levels[-1]])
    grid_poes = np.exp(np.interp(np.log(grid), np.log(rock_levels), np.log(rock_poes)))
    out = np.zeros(len(soil))
    for i in range(len(grid) - 1):
        occurrence = grid_poes[i] - grid_poes[i + 1]
        x = (grid[i] + grid[i + 1]) / 2
        a, s = np.interp(x, af_levels, af_med), np.interp(x, af_levels, af_sig)
        for j, level in enumerate(soil):
            out[j] += occurrence * norm.sf(np.log(level / x), np.log(a), s)
    return out


def test_convolution_of_a_hand_made_curve_against_direct_numpy(tmp_path):
    table = table_of(tmp_path, LEVELS_TABLE)
    rock_levels = np.geomspace(0.01, 3.0, 15)
    rock_poes = 0.2 * (rock_levels / 0.01) ** -1.7  # a power-law rock curve
    soil = np.array([0.02, 0.05, 0.1, 0.3, 0.7, 1.5])
    got = sa.amplify_curve(rock_levels, rock_poes, soil, table.function("A"), "PGA")
    expected = direct_convolution(rock_levels, rock_poes, soil, np.array([0.05, 0.5, 1.0]),
                                  np.array([2.0, 1.5, 1.1]), np.array([0.2, 0.3, 0.4]))
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_convolution_of_a_lognormal_rock_motion_is_lognormal(tmp_path):
    # rock ln X ~ N(mu, beta), factor lognormal (median a, sigma): soil ln S ~
    # N(mu + ln a, sqrt(beta^2 + sigma^2))
    mu, beta, a, sigma = np.log(0.1), 0.5, 1.8, 0.3
    table = table_of(tmp_path, "#vs30_ref=760\nampcode,PGA,sigma_PGA\nA,%s,%s\n" % (a, sigma))
    rock_levels = np.geomspace(1e-4, 30.0, 80)
    rock_poes = norm.sf((np.log(rock_levels) - mu) / beta)
    soil = np.geomspace(0.05, 1.0, 8)
    got = sa.amplify_curve(rock_levels, rock_poes, soil, table.function("A"), "PGA")
    expected = norm.sf((np.log(soil) - mu - np.log(a)) / np.hypot(beta, sigma))
    np.testing.assert_allclose(got, expected, rtol=0.02)


def test_certain_factor_shifts_the_curve(tmp_path):
    # factor 2 without sigma: the soil PoE of 2x is the rock PoE of x
    table = table_of(tmp_path, "#vs30_ref=760\nampcode,PGA\nA,2\n")
    rock_levels = np.geomspace(0.01, 4.0, 40)
    rock_poes = 0.05 * (rock_levels / 0.01) ** -1.2
    soil = np.array([0.1, 0.4, 1.0])
    got = sa.amplify_curve(rock_levels, rock_poes, soil, table.function("A"), "PGA")
    # within one step of the grid (ratio 1.1 here) of the rock curve at soil / 2
    def rock(x):
        return 0.05 * (x / 0.01) ** -1.2
    assert (rock(soil / 2 * 1.1) <= got).all() and (got <= rock(soil / 2 / 1.1)).all()


def test_amplify_curves_per_site_class_and_zero_curves(tmp_path):
    table = table_of(tmp_path, "#vs30_ref=760\nampcode,PGA\nA,1\nB,3\n")
    levels = np.geomspace(0.01, 2.0, 12)
    curve = 0.1 * (levels / 0.01) ** -1.5
    poes = np.zeros((2, 3, 1, 12))  # R=2, N=3, M=1
    poes[:, 0, 0] = curve
    poes[:, 1, 0] = curve
    soil = [0.05, 0.2, 0.6]
    out = sa.amplify_curves(table, np.array(["A", "B", "B"], object), {"PGA": levels},
                            soil, poes)
    assert out.shape == (2, 3, 1, 3)
    for n, code in enumerate("AB"):
        np.testing.assert_allclose(out[0, n, 0], sa.amplify_curve(
            levels, curve, np.array(soil), table.function(code), "PGA"))
    assert (out[:, 1] > out[:, 0]).all()  # the larger factor gives larger PoEs
    assert (out[:, 2] == 0).all()  # a site without hazard stays without hazard


def test_curve_levels():
    imtls = {"PGA": [0.1, 0.2], "SA(1.0)": [0.1, 0.2]}
    inputs = {"amplification": "a.csv"}
    assert sa.curve_levels(imtls, inputs, "convolution", [0.3, 0.5, 0.9]) == {
        "PGA": [0.3, 0.5, 0.9], "SA(1.0)": [0.3, 0.5, 0.9]}
    assert sa.curve_levels(imtls, inputs, "kernel", None) == imtls
    assert sa.curve_levels(imtls, {}, "convolution", [0.3, 0.5]) == imtls


# ----------------------------------------------------------------- kernel

def direct_kernel(mean, sig, levels, tl, max_sigma, af_levels, af_med, af_sig):
    """The kernel method for one rupture written out interval by interval."""
    loglevels = np.log(levels)
    edges = np.linspace(loglevels.min() - 4 * max_sigma, loglevels.max() + 4 * max_sigma, 40)
    out = np.zeros(len(levels))
    for lo, hi in zip(edges[:-1], edges[1:]):
        occurrence = (truncnorm_sf(tl, np.array((lo - mean) / sig)) -
                      truncnorm_sf(tl, np.array((hi - mean) / sig)))
        x = (np.exp(lo) + np.exp(hi)) / 2
        a, s = np.interp(x, af_levels, af_med), np.interp(x, af_levels, af_sig)
        for j, level in enumerate(levels):
            out[j] += occurrence * norm.sf(np.log(level / x), np.log(a), s)
    return out


@pytest.mark.parametrize("truncation_level", [None, 3.0])
def test_kernel_on_one_rupture_against_direct_numpy(tmp_path, truncation_level):
    table = table_of(tmp_path, LEVELS_TABLE)
    levels = np.geomspace(0.01, 2.0, 10)
    mean, sig = np.log(0.15), 0.6
    got = sa.kernel_poes(np.array([mean]), np.array([sig]), np.log(levels),
                         truncation_level, table.max_sigma(), table.function("A"), "PGA")
    expected = direct_kernel(mean, sig, levels, truncation_level, 0.4,
                             np.array([0.05, 0.5, 1.0]), np.array([2.0, 1.5, 1.1]),
                             np.array([0.2, 0.3, 0.4]))
    assert got.shape == (1, 10)
    np.testing.assert_allclose(got[0], expected, rtol=1e-10)


def test_kernel_of_a_lognormal_rupture_is_lognormal(tmp_path):
    mu, beta, a, sigma = np.log(0.2), 0.55, 1.6, 0.25
    table = table_of(tmp_path, "#vs30_ref=760\nampcode,PGA,sigma_PGA\nA,%s,%s\n" % (a, sigma))
    levels = np.geomspace(0.005, 5.0, 12)
    got = sa.kernel_poes(np.array([mu]), np.array([beta]), np.log(levels), None,
                         table.max_sigma(), table.function("A"), "PGA")[0]
    expected = norm.sf((np.log(levels) - mu - np.log(a)) / np.hypot(beta, sigma))
    central = (expected > 1e-3) & (expected < 0.999)
    # the intervals' arithmetic mid-points bias the motion up a little (coarse grid)
    np.testing.assert_allclose(got[central], expected[central], rtol=0.1)
    assert (got[central] >= expected[central] * 0.995).all()


BINNED = """#,,,,,vs30_ref=760
ampcode,from_mag,from_rrup,PGA,SA(1.0),sigma_PGA,sigma_SA(1.0)
A,4.0,0,1.0,1.0,0.1,0.1
A,6.0,0,2.0,1.5,0.1,0.1
A,4.0,50,1.2,1.1,0.1,0.1
A,6.0,50,3.0,2.5,0.1,0.1
B,5.0,0,0.8,0.9,0.2,0.2
"""


def test_kernel_amplifier_picks_the_magnitude_distance_bin(tmp_path):
    table = table_of(tmp_path, BINNED)
    imts = ["PGA", "SA(1.0)"]
    loglevels = np.log(np.array([np.geomspace(0.01, 1.0, 5)] * 2))
    amp = sa.KernelAmplifier(table, np.array(["A", "B"], object), imts, loglevels, 3.0)
    sids = np.array([0, 0, 0, 0, 1])
    mags = np.array([5.0, 6.5, 6.5, 3.0, 7.0])
    rrups = np.array([10.0, 60.0, 20.0, 10.0, 5.0])
    mean = np.log(np.array([[0.1, 0.2, 0.2, 0.05, 0.3], [0.05, 0.1, 0.1, 0.02, 0.2]]))
    sig = np.full((2, 5), 0.6)
    got = amp.poes(mean, sig, sids, mags, rrups)
    assert got.shape == (5, 10)
    bins = [("A", 4.0, 0.0), ("A", 6.0, 50.0), ("A", 6.0, 0.0), ("A", 4.0, 0.0),
            ("B", 5.0, 0.0)]  # magnitude 3 is below every bin: the first one
    for k, key in enumerate(bins):
        for m, imt in enumerate(imts):
            expected = sa.kernel_poes(mean[m, k:k + 1], sig[m, k:k + 1], loglevels[m], 3.0,
                                      0.2, table.functions[key], imt)[0]
            np.testing.assert_allclose(got[k, m * 5:(m + 1) * 5], expected, rtol=1e-12)


def test_check_gmf_job(tmp_path):
    table = table_of(tmp_path, LEVELS_TABLE)
    sa.check_gmf_job(table, job(soil=None))
    with pytest.raises(InvalidInput, match="used only by classical jobs"):
        sa.check_gmf_job(table, job())
    with pytest.raises(InvalidInput, match="no amplification column for SA"):
        sa.check_gmf_job(table, job(imts=("SA(1.0)",), soil=None))
    binned = table_of(tmp_path, "#vs30_ref=760\nampcode,from_mag,from_rrup,PGA\nA,4,0,1\n")
    with pytest.raises(InvalidInput, match="not to amplify ground-motion fields"):
        sa.check_gmf_job(binned, job(soil=None))


def test_gmf_amplifier_draws_site_by_site(tmp_path):
    table = table_of(tmp_path, LEVELS_TABLE + "B,0.05,3.0,0.0\n")
    amp = sa.GmfAmplifier(table, np.array(["A", "B", "A"], object), ["PGA"])
    gmvs = np.array([[0.01, 0.2, 0.8, 2.0], [0.1, 0.3, 0.5, 0.05]], np.float32)
    sids = np.array([2, 1])
    got = amp.amplify(0, gmvs, sids, np.random.default_rng(42))
    assert got.dtype == np.float32
    rng = np.random.default_rng(42)  # E normals per site, in the order of the sites
    med = np.interp(gmvs[0], [0.05, 0.5, 1.0], [2.0, 1.5, 1.1])
    sig = np.interp(gmvs[0], [0.05, 0.5, 1.0], [0.2, 0.3, 0.4])
    expected0 = med * gmvs[0] * np.exp(sig * rng.standard_normal(4))
    rng.standard_normal(4)  # class B has no uncertainty but draws all the same
    np.testing.assert_allclose(got[0], expected0, rtol=1e-6)
    np.testing.assert_allclose(got[1], 3.0 * gmvs[1], rtol=1e-6)


def test_refuse():
    oq = types.SimpleNamespace(inputs={"amplification": "a.csv"})
    with pytest.raises(InvalidInput, match="not supported by scenario \\(only by classical"):
        sa.refuse(oq, "scenario")
    sa.refuse(types.SimpleNamespace(inputs={}), "scenario")
