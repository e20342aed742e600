"""Make the reference fields of the cases in this folder with OpenQuake (the oracle).

usage: OQ=/path/to/openquake/venv/bin/oq python make_reference.py [CASE ...]

Each case folder holds a job.ini and its inputs; the script runs
``$OQ engine --run job.ini --exports csv -p export_dir=...`` in a scratch copy (with a private HOME and
OQ_DATADIR, OQ_DISTRIBUTE=no) and keeps the exported files named in KEEP as
``expected_<name>.csv`` in the case folder (the calculation ID and the header comment
line dropped). tests/core/test_gmf_oracle.py compares our outputs with them.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
#: exported files kept, by the name they have without the calculation ID
KEEP = ("gmf-data", "sigma_epsilon", "events", "ruptures")


def make(case: str, oq: str) -> None:
    work = tempfile.mkdtemp(prefix="oracle-")
    try:
        shutil.copytree(os.path.join(HERE, case), os.path.join(work, "in"),
                        ignore=shutil.ignore_patterns("expected_*"))
        env = dict(os.environ, HOME=os.path.join(work, "home"),
                   OQ_DATADIR=os.path.join(work, "data"), OQ_DISTRIBUTE="no")
        out = os.path.join(work, "out")
        subprocess.run([oq, "engine", "--run", "job.ini", "--exports", "csv",
                        "-p", "export_dir=" + out], cwd=os.path.join(work, "in"), env=env,
                       check=True, capture_output=True)
        for old in glob.glob(os.path.join(HERE, case, "expected_*.csv")):
            os.remove(old)
        for path in glob.glob(os.path.join(out, "*.csv")):
            name = re.sub(r"_\d+\.csv$", "", os.path.basename(path))
            if name in KEEP:
                with open(path) as f:
                    lines = [ln for ln in f if not ln.startswith("#")]
                with open(os.path.join(HERE, case, "expected_%s.csv" % name), "w") as f:
                    f.writelines(lines)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    oq = os.environ.get("OQ", "oq")
    cases = argv or sorted(d for d in os.listdir(HERE)
                           if os.path.isfile(os.path.join(HERE, d, "job.ini")))
    for case in cases:
        make(case, oq)
        print("made", case)


if __name__ == "__main__":
    main(sys.argv[1:])
