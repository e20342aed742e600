"""RTGM and ASCE design values against the USGS test vector and the rtgm_case reference."""
import csv
import glob
import math
import os

import numpy as np
import pytest

from oqcore.hazard import asce, rtgm

DATA = os.path.join(os.path.dirname(__file__), "..", "data", "aelo", "rtgm_case")

# USGS RTGM calculator test vector (annual rates)
LEVELS = np.array("0.0025 0.00375 0.00563 0.00844 0.0127 0.019 0.0285 0.0427 0.0641 "
                  "0.0961 0.144 0.216 0.324 0.487 0.73 1.09 1.64 2.46 3.69 5.54".split(),
                  float)
RATES = np.array("0.4782 0.3901 0.3055 0.2322 0.1716 0.1241 0.08621 0.05687 0.03492 "
                 "0.01985 0.01045 0.005095 0.002302 0.0009371 0.0003308 9.488e-05 "
                 "1.952e-05 2.174e-06 8.553e-08 1.315e-10".split(), float)


def test_usgs_vector_iterates():
    res = rtgm.rtgm(LEVELS, RATES, beta=0.8)
    a_r, ratio = zip(*res.iterates)
    np.testing.assert_allclose(a_r, [0.675386, 0.607423, 0.645636], rtol=1e-6)
    np.testing.assert_allclose(ratio, [0.899372, 1.154463, 1.000774], rtol=5e-6)
    assert res.uhgm == pytest.approx(0.675386, rel=1e-6)
    assert res.risk_coefficient == pytest.approx(0.955951, rel=1e-6)


def test_rtgm_meets_target_and_no_convergence():
    res = rtgm.rtgm(LEVELS, RATES)
    assert res.rtgm == pytest.approx(0.61254, rel=1e-4)
    assert abs(res.iterates[-1][1] - 1) <= rtgm.TOLERANCE
    with pytest.raises(ValueError, match="fewer than 2"):
        rtgm.rtgm(LEVELS, np.zeros_like(RATES))


def test_factors_and_classes():
    assert asce.max_direction_factor("SA(0.25)", "ASCE7-16") == 1.112
    assert asce.max_direction_factor("SA(7.5)", "ASCE7-22") == 1.286
    assert asce.max_direction_factor("PGA", "ASCE7-22") == 1.0
    assert [asce.site_class(v) for v in (1500, 1080, 760, 530, 365, 260, 180, 150)] == \
        ["A", "B", "BC", "C", "CD", "D", "DE", "E"]
    assert asce.deterministic_lower_limit("SA(0.6)", "BC") == pytest.approx(
        1.01 + (0.76 - 1.01) * 0.1 / 0.25)


def read_curves():
    """{(custom_site_id, imt): (levels, poes)} from the reference mean curves."""
    curves = {}
    for fname in glob.glob(os.path.join(DATA, "hazard_curve-mean-*.csv")):
        imt = os.path.basename(fname)[len("hazard_curve-mean-"):-4]
        with open(fname, newline="") as f:
            rows = list(csv.reader(f))[1:]
        levels = np.array([float(h[4:]) for h in rows[0] if h.startswith("poe-")])
        for row in rows[1:]:
            curves[row[0], imt] = levels, np.array(row[4:], float)
    return curves


def read_expected(name):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))[2:]
    return np.array([[float(r[0]), float(r[1])] for r in rows])


@pytest.mark.parametrize("name", ["mce_default.csv", "mce_governing.csv"])
def test_rtgm_case_mce(name):
    """Governing MCE of rtgm_case (vs30 760 and 1080, ASCE 7-22) within 1 %.

    The deterministic caps need the job's disaggregation; they are 0 here, so the MCE
    is min(ProbMCE, DLL): the reference shows that the deterministic values lie below
    the DLL wherever the DLL caps the spectrum.
    """
    curves = read_curves()
    imts = sorted({imt for _, imt in curves}, key=asce.imt_period)
    governing = {}
    for sid, vs30 in (("CRETE:BC", 760.0), ("CRETE:B", 1080.0)):
        cls = asce.site_class(vs30)
        for imt in imts:
            prob = asce.probabilistic_mce(imt, *curves[sid, imt], 1.0, "ASCE7-22")
            mce = asce.governing_mce(prob["ProbMCE"], 0.0,
                                     asce.deterministic_lower_limit(imt, cls))
            governing[imt] = max(governing.get(imt, 0.0), mce)
    expected = read_expected(name)
    got = [governing["SA(%s)" % (t if t != 10 else "10.0")] for t in expected[:, 0]]
    np.testing.assert_allclose(got, expected[:, 1], rtol=0.01)


def test_rtgm_case_asce_parameters():
    """ASCE 7-22 and 41-23 parameters of site CRETE:BC against the reference test."""
    curves = read_curves()
    imts = sorted({imt for sid, imt in curves if sid == "CRETE:BC"}, key=asce.imt_period)
    periods = [asce.imt_period(i) for i in imts]
    mce, uhs5, uhs20, factors = [], [], [], []
    for imt in imts:
        levels, poes = curves["CRETE:BC", imt]
        prob = asce.probabilistic_mce(imt, levels, poes, 1.0, "ASCE7-22")
        mce.append(asce.governing_mce(prob["ProbMCE"], 0.0,
                                      asce.deterministic_lower_limit(imt, "BC")))
        uhs5.append(asce.uhs_value(levels, poes, 1.0, 0.05))
        uhs20.append(asce.uhs_value(levels, poes, 1.0, 0.20))
        factors.append(prob["factor"])
    a7 = asce.asce7_parameters(periods, mce, 760.0, "ASCE7-22")
    exp7 = dict(PGAm=0.5, Ss=1.5, Sms=1.35, Sds=0.9, S1=0.4297, Sm1=0.4297, Sd1=0.2864)
    for key, val in exp7.items():
        assert a7[key] == pytest.approx(val, rel=1e-3), key
    assert (a7["Ss_seismicity"], a7["S1_seismicity"]) == ("Very High", "High")
    a41 = asce.asce41_parameters(periods, mce, uhs5, uhs20, factors, 760.0, "ASCE7-22")
    exp41 = dict(BSE2N_Sxs=1.35, BSE2E_Sxs=1.09844, BSE1N_Sxs=0.9, BSE1E_Sxs=0.65396,
                 BSE2N_Sx1=0.42968, BSE2E_Sx1=0.34593, BSE1N_Sx1=0.28645,
                 BSE1E_Sx1=0.18822)
    for key, val in exp41.items():
        assert a41[key] == pytest.approx(val, rel=2e-3), key


def test_max_iml_too_low_and_zero_hazard():
    levels = np.array([0.01, 0.1])
    with pytest.raises(asce.MaxImlTooLow, match="max iml is too low"):
        asce.probabilistic_mce("SA(1.0)", levels, [0.5, 0.1], 1.0, "ASCE7-16")
    res = asce.probabilistic_mce("SA(1.0)", levels, [1e-5, 0.0], 1.0, "ASCE7-16")
    assert res["ProbMCE"] == 0.0 and math.isnan(res["RTGM"])


def test_geometric_mean_conversion():
    """RotD50 -> GM median ratios at the anchors and between them (log-linear in T)."""
    from oqcore.hazard import components
    from oqcore.hazard.imt import IMT
    rotd50 = components.ROTD50
    assert components.conversion(rotd50, "PGA", 0.0) == (1.009, 0.0, 1.0)
    assert components.conversion(rotd50, "SA", 0.05)[0] == 1.009
    assert components.conversion(rotd50, "SA", 0.58)[0] == pytest.approx(1.028)
    assert components.conversion(rotd50, "SA", 20.0)[0] == 1.077
    mid = math.exp((math.log(0.58) + math.log(4.59)) / 2)
    assert components.conversion(rotd50, "SA", mid)[0] == pytest.approx(1.035)
    ms = np.zeros((4, 2, 3))
    ms[1] = 0.5
    components.to_geometric_mean(ms, components.GMROTI50,
                                 [IMT.from_string("PGA"), IMT.from_string("SA(1.0)")])
    np.testing.assert_allclose(ms[1, 0], math.sqrt(0.25 - 0.02 ** 2))
    np.testing.assert_allclose(ms[1, 1], math.sqrt(0.25 - 0.04 ** 2))
    assert not components.convertible("Vertical")
