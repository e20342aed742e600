"""Write expected_mean_rates_by_src.csv: OpenQuake 3.26.2's ``mean_rates_by_src`` for the
QA case logictree/case_30 (IMT-dependent GSIM weights) run with disagg_by_src = true.

Usage (the oracle's own HOME and OQ_DATADIR; run from the repository root)::

    HOME=... OQ_DATADIR=... OQ_DISTRIBUTE=processpool /work/oqvenv/bin/python \\
        tests/data/mean_rates_by_src/make_expected.py /work/oqvenv/bin/oq
"""
import csv
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT = os.path.join(HERE, "..", "qa_classical", "logictree_case_30", "input")


def main(oq_command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "input")
        shutil.copytree(INPUT, work)
        subprocess.run([oq_command, "engine", "--run", "job.ini", "-p",
                        "disagg_by_src=true"], cwd=work, check=True)
    datadir = os.environ["OQ_DATADIR"]
    path = max(glob.glob(os.path.join(datadir, "calc_*.hdf5")), key=os.path.getmtime)
    with h5py.File(path, "r") as f:
        group = f["mean_rates_by_src"]
        rates = group["array"][()]  # (N, M, L1, Ns)
        imts = [x.decode() for x in group["imt"][()]]
        src_ids = [x.decode() for x in group["src_id"][()]]
    with open(os.path.join(HERE, "expected_mean_rates_by_src.csv"), "w", newline="") as f:
        f.write("# OpenQuake 3.26.2 (%s): logictree/case_30 with disagg_by_src=true\n"
                % os.path.basename(path))
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["site_id", "imt", "lvl", "src_id", "rate"])
        N, M, L1, S = rates.shape
        for n in range(N):
            for m in range(M):
                for lvl in range(L1):
                    for s in range(S):
                        w.writerow([n, imts[m], lvl, src_ids[s], "%.9e" % rates[n, m, lvl, s]])


if __name__ == "__main__":
    main(sys.argv[1])
