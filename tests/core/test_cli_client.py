"""The daily ``oq`` commands: --version, info, show, db, abort, purge, reset, shell,
``oq extract --help``, ``oq server``'s start-up line, the -p errors, the job.ini
warnings printed once, and ``oq engine --lhc`` without the hazard library."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

import pytest

from oqcore.cli import build_parser
from tests.conftest import DATA, oq_command, oq_environment, run_oq

JOB = DATA / "client" / "classical" / "job.ini"


@pytest.fixture(scope="module")
def calc(tmp_path_factory):
    """The 2-realization classical case run once; (tmp dir, env, run)."""
    tmp = tmp_path_factory.mktemp("cli_client")
    env = oq_environment(tmp)
    run = run_oq(["engine", "--run", JOB, "-p", "minimun_magnitude=5"], env)
    assert run.returncode == 0, run.stderr
    return tmp, env, run


def copy_of(calc, tmp_path) -> dict:
    """An environment with a copy of the data directory (for destructive commands)."""
    shutil.copytree(calc[0] / "oqdata", tmp_path / "oqdata")
    return oq_environment(tmp_path)


def test_version(tmp_path):
    import oqcore
    run = run_oq(["--version"], oq_environment(tmp_path))
    assert run.returncode == 0
    assert run.stdout.strip() == "oqcore %s (OpenQuake engine %s)" % (
        oqcore.__version__, oqcore.ENGINE_VERSION)


def test_lhc_does_not_import_the_hazard_library(calc):
    code = ("import sys; from oqcore.cli import main; rc = main(['engine', '--lhc']); "
            "heavy = [m for m in ('numba', 'scipy', 'oqcore.hazard', 'oqplugins', "
            "'matplotlib') if m in sys.modules]; print('HEAVY', heavy); sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", code], env=calc[1], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "HEAVY []" in run.stdout
    assert "REST suite classical (2 realizations)" in run.stdout


def test_warning_printed_once_and_progress(calc):
    err = calc[2].stderr
    assert err.count("minimun_magnitude") == 1, err
    assert "the command line (-p): The parameter 'minimun_magnitude' is unknown" in err
    assert "classical_task: 1/1 tasks done (100%)" in err


def test_warning_printed_once_quiet_with_exports(tmp_path):
    shutil.copytree(JOB.parent, tmp_path / "in")
    ini = tmp_path / "in" / "job.ini"
    ini.write_text(ini.read_text() + "\nminimun_magnitude = 5\n")
    run = run_oq(["engine", "--run", ini, "-q", "--exports", "csv"], oq_environment(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("minimun_magnitude") == 1, run.stderr
    assert "%s: The parameter 'minimun_magnitude' is unknown" % ini in run.stderr


@pytest.mark.parametrize("override, message", [
    ("truncation_level=two", "the command line (-p): truncation_level: not a number"),
    ("investigation_time=0", "the command line (-p): investigation_time: 0 is not a "
     "float > 0"),
    ("=3", "-p expects name=value, got '=3'"),
    ("truncation_level", "-p expects name=value"),
])
def test_bad_override_blames_the_command_line(override, message, tmp_path):
    run = run_oq(["engine", "--run", JOB, "-p", override], oq_environment(tmp_path))
    assert run.returncode == 1
    assert message in run.stderr
    assert "job.ini, line" not in run.stderr and "Traceback" not in run.stderr


def test_zero_investigation_time_in_the_ini(tmp_path):
    shutil.copytree(JOB.parent, tmp_path / "in")
    ini = tmp_path / "in" / "job.ini"
    text = ini.read_text()
    ini.write_text(text.replace("investigation_time = 1.0", "investigation_time = 0"))
    run = run_oq(["engine", "--run", ini], oq_environment(tmp_path))
    lineno = text.splitlines().index("investigation_time = 1.0") + 1
    assert run.returncode == 1
    assert "%s, line %d: investigation_time: 0 is not a float > 0" % (ini, lineno) in (
        run.stderr)


@pytest.mark.parametrize("args, expected", [
    (["info", "investigation_time"], "Time span in years"),
    (["info", "--extracts"], "hcurves "),
    (["info", "extracts"], "uhs "),
    (["info", "calculators"], "classical "),
    (["info", "--exporters"], "hcurves "),
    (["info", "--gsims"], "SadighEtAl1997"),
    (["info", "parameters"], "truncation_level"),
    (["info", "views"], "task_info"),
    (["info", "plots"], "uhs"),
    (["info", "SadighEtAl1997"], "requires_sites_parameters: vs30"),
    (["info", "hmaps"], "Hazard maps"),
])
def test_info(args, expected, tmp_path):
    run = run_oq(args, oq_environment(tmp_path))
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout


def test_info_unknown_name(tmp_path):
    run = run_oq(["info", "investigation_tme"], oq_environment(tmp_path))
    assert run.returncode == 1
    assert "did you mean investigation_time" in run.stderr


@pytest.mark.parametrize("view, expected", [
    ("fullreport", "REST suite classical (2 realizations)\n====="),
    ("params", "quantiles"),
    ("task_info", "classical_task |         1 |"),
    ("contents", "hcurves-stats"),
])
def test_show(view, expected, calc):
    run = run_oq(["show", view, "-1"], calc[1])
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout


def test_show_params_lists_what_the_ini_sets(calc):
    out = run_oq(["show", "params", "-1"], calc[1]).stdout
    rows = dict((c.strip() for c in line.split(" | ")) for line in out.splitlines()[4:])
    assert out.splitlines()[2].split() == ["parameter", "|", "value"]
    assert rows["poes"] == "[0.1, 0.02]" and rows["investigation_time"] == "1.0"
    assert "concurrent_tasks" not in rows  # defaults are left out


def test_show_unknown_view(calc):
    run = run_oq(["show", "nosuch", "-1"], calc[1])
    assert run.returncode == 1
    assert "unknown view 'nosuch'; the views are fullreport, params" in run.stderr


def test_db(calc):
    env = calc[1]
    run = run_oq(["db", "list_calculations"], env)
    assert run.stdout.startswith("1 | complete | classical | ")
    assert '"status": "complete"' in run_oq(["db", "get_job", "-1"], env).stdout
    assert "tasks done" in run_oq(["db", "get_log", "1"], env).stdout
    assert "Hazard Curves" in run_oq(["db", "list_outputs", "1"], env).stdout
    assert run_oq(["db", "get_executing_jobs"], env).stdout == ""
    bad = run_oq(["db", "drop_everything"], env)
    assert bad.returncode == 1 and "unknown db command 'drop_everything'" in bad.stderr
    bad = run_oq(["db", "get_job"], env)
    assert bad.returncode == 1 and "oq db get_job needs ID" in bad.stderr
    bad = run_oq(["db", "set_status", "1", "done"], env)
    assert bad.returncode == 1 and "unknown status 'done'" in bad.stderr


def test_abort_purge_and_reset(calc, tmp_path):
    env = copy_of(calc, tmp_path)
    run = run_oq(["abort", "1"], env)
    assert run.returncode == 0 and "Calculation 1 is complete: nothing to abort" in run.stdout
    # a queued job (no process yet) is aborted at once
    from oqcore.jobs.db import JobDB
    db = JobDB(str(tmp_path / "oqdata" / "db.sqlite3"))
    job_id = db.create_job("queued", "me", "classical")
    db.update_job(job_id, pid=os.getpid())  # its creator is alive: not recovered
    run = run_oq(["abort", str(job_id)], env)
    assert run.returncode == 0 and run.stdout.strip() == "Calculation %d aborted" % job_id
    assert db.get_job(job_id)["status"] == "aborted"
    run = run_oq(["purge", "1"], env)
    assert run.stdout.strip() == "Removed calculation 1"
    assert not (tmp_path / "oqdata" / "calc_1.hdf5").exists()
    run = run_oq(["reset"], env, input="n\n")
    assert run.returncode == 1 and "Nothing removed" in run.stdout
    assert (tmp_path / "oqdata" / "db.sqlite3").exists()
    run = run_oq(["reset", "--yes"], env)
    assert run.returncode == 0 and not (tmp_path / "oqdata" / "db.sqlite3").exists()


def test_reset_refuses_while_a_job_runs(calc, tmp_path):
    env = copy_of(calc, tmp_path)
    from oqcore.jobs.db import JobDB
    db = JobDB(str(tmp_path / "oqdata" / "db.sqlite3"))
    job_id = db.create_job("running", "me", "classical")
    db.update_job(job_id, status="executing", pid=1)  # pid 1 is alive: not recovered
    run = run_oq(["reset", "--yes"], env)
    assert run.returncode == 1 and "running or queued: abort them first" in run.stderr
    assert (tmp_path / "oqdata" / "calc_1.hdf5").exists()


def test_shell_has_the_extractor(calc):
    code = ("aw = Extractor(calc_id=-1).get('realizations')\n"
            "print('AW', aw, aw.array['branch_path'].tolist())\n")
    run = run_oq(["shell"], calc[1], input=code)
    assert run.returncode == 0, run.stderr
    assert "AW <ArrayWrapper(2,)> [b'b1', b'b2']" in run.stdout or (
        "AW <ArrayWrapper(2,)>" in run.stdout), run.stdout + run.stderr
    assert "Extractor" in run.stderr + run.stdout  # the banner


def test_shell_runs_a_script(calc, tmp_path):
    script = tmp_path / "s.py"
    script.write_text("import sys\nwith Extractor(-1) as ex:\n"
                      "    print(sys.argv[1:], ex.get('weights').array.tolist())\n")
    run = run_oq(["shell", script, "x"], calc[1])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['x'] [0.6, 0.4]"


def test_extract_help_lists_the_specs(tmp_path):
    run = run_oq(["extract", "--help"], oq_environment(tmp_path))
    assert run.returncode == 0
    specs = run.stdout.split("extract specs:")[1]
    for name in ("hcurves", "hmaps", "uhs", "oqparam", "realizations", "sitecol"):
        assert "\n  %s " % name in specs


def test_every_option_has_help():
    def walk(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    if name not in ("server", "user"):  # their own parsers
                        yield from walk(sub, path + [name])
            elif not isinstance(action, argparse._HelpAction):
                yield path, action
    missing = [(" ".join(p), a.dest) for p, a in walk(build_parser(), ["oq"])
               if not a.help]
    assert missing == []


def test_server_logs_its_address(tmp_path):
    from tests.http.conftest import free_port
    port = free_port()
    proc = subprocess.Popen(oq_command() + ["server", "--port", str(port)],
                            env=oq_environment(tmp_path), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.time() + 60
        line = ""
        while time.time() < deadline and "engine server on" not in line:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
        assert "engine server on http://127.0.0.1:%d (public mode" % port in line
    finally:
        proc.terminate()
        proc.wait(20)
