"""Run every job file of OpenQuake's ``qa_tests_data`` groups with our ``oq`` and tabulate.

Not a test: a survey for issue notes. Usage::

    python tests/qa/survey_qa_tests_data.py QA_TESTS_DATA OUT.json [GROUP ...] [--jobs N]
        [--timeout S] [--bin DIR]

Each case folder's job files (``*job*.ini``) run in order: hazard jobs, risk jobs with their
own hazard inputs, then risk jobs without any, with ``--hc`` on the last hazard calculation
of the case that completed.
The JSON written maps ``group/case/file`` to ``{"status": "ok"|"refused"|"failed"|"timeout"
|"skipped", "reason": one line, "seconds": wall time}``; a summary per group and the top
reasons are printed at the end. The job files OpenQuake expects to fail
(:data:`EXPECTED_FAILURES`) still run but are "skipped": out of the counts, listed apart
with ``ours`` = "error" (we fail too, as we should) or "completed".
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CALC_ID = re.compile(r"calculation #?(\d+)|calc_(\d+)", re.I)
ORACLE_HOME_ENV = "SURVEY_ORACLE"
ORACLE_BIN_ENV = "SURVEY_ORACLE_BIN"


def _last_error(text: str) -> str:
    """The most telling line of a failed run's output: the last error-looking line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.search(r"error|invalid|unknown|not supported|unsupported|refus|missing", ln, re.I):
            return ln[:300]
    return lines[-1][:300] if lines else "(no output)"


def _run(oq: str, ini: Path, datadir: str, timeout: float, hc: str | None) -> dict:
    cmd = [oq, "engine", "--run", str(ini)]
    if hc:
        cmd += ["--hc", hc]
    env = dict(os.environ, OQ_DATADIR=datadir,
               OQ_DISTRIBUTE=os.environ.get("OQ_DISTRIBUTE", "processpool"))
    if ORACLE_HOME_ENV in os.environ and oq == os.environ.get(ORACLE_BIN_ENV):
        env["HOME"] = os.path.join(datadir, "home")  # the oracle keeps its data in $HOME
    t0 = time.time()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "reason": f"over {timeout:.0f} s", "seconds": timeout}
    out = proc.stdout + proc.stderr
    res = {"seconds": round(time.time() - t0, 1), "calc_id": None}
    ids = [int(a or b) for a, b in CALC_ID.findall(out)]
    if ids:
        res["calc_id"] = ids[-1]
    if proc.returncode == 0:
        res.update(status="ok", reason="")
    else:
        reason = _last_error(out)
        status = "refused" if re.search(r"not supported|unknown|unsupported|not implemented|"
                                        r"not yet|no such", reason, re.I) else "failed"
        res.update(status=status, reason=reason)
    return res


def _expected_failure(res: dict, expected: str) -> dict:
    """Status "skipped" for a job OpenQuake expects to fail; ``ours`` says whether we
    failed too ("error", with its reason) or, wrongly, completed ("completed")."""
    ours = "completed" if res["status"] == "ok" else "error"
    return dict(res, status="skipped", expected=expected, ours=ours)


def _case(oq: str, case: Path, group: str, timeout: float, oracle: str = "") -> dict:
    results = _case_with(oq, case, group, timeout)
    if oracle and any(r["status"] != "ok" for r in results.values()):
        theirs = _case_with(oracle, case, group, timeout)
        for key, res in results.items():
            res["oracle"] = theirs.get(key, {}).get("status", "?")
            if res["oracle"] != "ok":
                res["oracle_reason"] = theirs[key].get("reason", "")
    return results


#: job files that OpenQuake's own tests (or OpenQuake itself) expect to FAIL: the survey
#: runs them apart, reports them as skipped and records whether we fail with an error too
EXPECTED_FAILURES = {
    # classical_test.test_wrong_smlt: InvalidFile (a source model given as the logic tree)
    "classical/case_01/job_wrong.ini": "InvalidFile: the smlt file is not a logic tree",
    # classical_test.test_case_03: InvalidFile 'reference_vs30_value not specified'
    "classical/case_03/job_wrong.ini": "InvalidFile: reference_vs30_value not specified",
    # OpenQuake 3.26 refuses it: non-zero weights for IMTs the GSIM does not support
    "classical/case_39/job_bad_weights_gmc.ini": "ValueError: weights on unsupported IMTs",
    # classical_test.test_case_57: InvalidFile 'Missing site_model_file specifying the
    # parameter region'
    "classical/case_57/job_wrong.ini": "InvalidFile: missing site model with region",
    # classical_test.test_case_89: ValueError 'float -100.0 < 0 or not equal to -999'
    "classical/case_89/job_error.ini": "ValueError: negative z1pt0 in the site model",
    # logictree_test.test_case_28_bis: InvalidFile 'reference_depth_to_1pt0km_per_sec not
    # specified'
    "logictree/case_28/job_wrong.ini": "InvalidFile: reference z1pt0 not specified",
    # disagg_test.test_case_3: SystemExit 'Cannot do any disaggregation: zero hazard'
    "disagg/case_3/job.ini": "SystemExit: zero hazard, nothing to disaggregate",
    # OpenQuake 3.26 refuses it: 'There is nothing closer than 8 km to site (10.1 40.1)'
    "disagg/case_4/job_with_site_model.ini": "SiteAssociationError: site model too far",
    # OpenQuake 3.26 refuses these four (checked with its oq engine --run)
    "scenario/case_2/job_wrong.ini": "InvalidFile: missing gsim or gsim_logic_tree_file",
    "scenario/case_11/job.ini": "InvalidFile: duplicate sites in the site model",
    "scenario/case_15/job.ini": "CorrelationButNoInterIntraStdDevs: total stddev only",
    "scenario/case_23/job.ini": "DuplicatedID: the same asset ID in two exposures",
}

HAZARD_INPUTS = ("source_model_logic_tree_file", "rupture_model_file", "gmfs_file",
                 "hazard_curves_file", "shakemap_id", "shakemap_uri", "rupture_dict",
                 "gmfs_csv", "hazard_curves_csv")
HAZARD_MODES = ("classical", "event_based", "scenario", "disaggregation", "preclassical",
                "ebrupture", "aelo", "conditional_spectrum")


def _job_kind(ini: Path) -> str:
    """"hazard", "risk" (a risk job with its own hazard inputs) or "needs_hc"."""
    import configparser
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cp.read(ini)
    except configparser.Error:
        return "hazard"
    params = {k: v for sec in cp.sections() for k, v in cp.items(sec)}
    mode = params.get("calculation_mode", "").strip()
    if mode in HAZARD_MODES:
        return "hazard"
    if any(params.get(k) for k in HAZARD_INPUTS) or params.get("hazard_calculation_id"):
        return "risk"
    return "needs_hc"


def _case_with(oq: str, case: Path, group: str, timeout: float) -> dict:
    """Run the job files of a case: hazard jobs, risk jobs with their own hazard, then
    the risk jobs that need ``--hc`` (given the last calculation that completed)."""
    results = {}
    datadir = tempfile.mkdtemp(prefix=f"survey-{group}-{case.name}-")
    inis = sorted(p for p in case.glob("*.ini") if "job" in p.name)
    order = {"hazard": 0, "risk": 1, "needs_hc": 2}
    kinds = {p: _job_kind(p) for p in inis}
    last_calc = None
    for ini in sorted(inis, key=lambda p: (order[kinds[p]], "pre" not in p.name, p.name)):
        hc = str(last_calc) if kinds[ini] == "needs_hc" and last_calc else None
        key = f"{group}/{case.name}/{ini.name}"
        res = _run(oq, ini, datadir, timeout, hc)
        if key in EXPECTED_FAILURES:
            res = _expected_failure(res, EXPECTED_FAILURES[key])
        results[key] = res
        if res["status"] == "ok" and kinds[ini] == "hazard" and res.get("calc_id"):
            last_calc = res["calc_id"]
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("qa_tests_data", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("groups", nargs="*", default=["classical", "logictree", "disagg"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--bin", default=str(Path(sys.executable).parent))
    ap.add_argument("--cases", default="", help="comma-separated group/case filter")
    ap.add_argument("--oracle", default="", help="OpenQuake's oq: run it on the cases "
                    "where ours does not complete, recording its status as 'oracle'")
    args = ap.parse_args(argv)
    oq = str(Path(args.bin) / "oq")
    todo = []
    only = {c for c in args.cases.split(",") if c}
    for group in args.groups:
        for case in sorted((args.qa_tests_data / group).glob("case_*")):
            if case.is_dir() and (not only or f"{group}/{case.name}" in only):
                todo.append((group, case))
    results: dict = {}
    if args.out.exists() and only:
        results = json.loads(args.out.read_text())
    with ThreadPoolExecutor(args.jobs) as pool:
        if args.oracle:
            os.environ[ORACLE_HOME_ENV] = "1"
            os.environ[ORACLE_BIN_ENV] = args.oracle
        futs = [pool.submit(_case, oq, case, group, args.timeout, args.oracle)
                for group, case in todo]
        for fut in futs:
            results.update(fut.result())
            args.out.write_text(json.dumps(results, indent=1, sort_keys=True))
    summary = collections.defaultdict(collections.Counter)
    reasons = collections.Counter()
    skipped = []
    for key, res in results.items():
        if res["status"] == "skipped":
            skipped.append((key, res))
            continue
        summary[key.split("/")[0]][res["status"]] += 1
        if res.get("oracle") not in (None, "ok"):
            summary[key.split("/")[0]]["oracle_fails_too"] += 1
        if res["status"] != "ok" and res.get("oracle") in (None, "ok"):
            reasons[re.sub(r"\d+(\.\d+)?", "N", res["reason"])[:120]] += 1
    for group, counts in sorted(summary.items()):
        total = sum(counts.values())
        print(f"{group:12s} {counts['ok']:4d}/{total:<4d} ok  " +
              "  ".join(f"{k}={v}" for k, v in sorted(counts.items()) if k != "ok"))
    if skipped:
        print("skipped (OpenQuake expects them to fail):")
        for key, res in sorted(skipped):
            print(f"  {key}: ours {res.get('ours', '?')}"
                  f"{': ' + res['reason'][:100] if res.get('reason') else ''}")
    print("top reasons:")
    for reason, n in reasons.most_common(40):
        print(f"{n:4d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
