"""The QA survey script: job files OpenQuake expects to fail are run apart as skipped."""
from tests.qa import survey_qa_tests_data as survey


def test_expected_failures_are_skipped_and_judged(tmp_path, monkeypatch):
    case = tmp_path / "classical" / "case_57"
    case.mkdir(parents=True)
    for name in ("job.ini", "job_wrong.ini"):
        (case / name).write_text("[general]\ncalculation_mode = classical\n")
    outcome = {"job.ini": "ok", "job_wrong.ini": "failed"}

    def fake_run(oq, ini, datadir, timeout, hc):
        st = outcome[ini.name]
        return {"status": st, "reason": "" if st == "ok" else "error: no region",
                "seconds": 0.1, "calc_id": 1}

    monkeypatch.setattr(survey, "_run", fake_run)
    res = survey._case_with("oq", case, "classical", 10)
    assert res["classical/case_57/job.ini"]["status"] == "ok"
    wrong = res["classical/case_57/job_wrong.ini"]
    assert wrong["status"] == "skipped" and wrong["ours"] == "error"
    outcome["job_wrong.ini"] = "ok"  # completing an expected failure is reported
    res = survey._case_with("oq", case, "classical", 10)
    assert res["classical/case_57/job_wrong.ini"]["ours"] == "completed"


def test_every_expected_failure_names_a_job_file():
    for key, why in survey.EXPECTED_FAILURES.items():
        group, case, ini = key.split("/")
        assert group in ("classical", "logictree", "disagg", "event_based", "scenario")
        assert case.startswith("case_")
        assert ini.endswith(".ini") and why
