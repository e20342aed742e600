"""Comparison of exported CSV files with OpenQuake's: columns matched by name, rows in
order, numbers within a relative tolerance."""
import csv
import os
import re

#: the relative tolerance of "the same numbers" on the QA cases
RTOL = 1e-3
#: the absolute tolerance, as the acceptance comparison (oqdiff) uses it: OpenQuake
#: keeps some probabilities in single precision (steps of 6e-8 near 0 and 1)
ATOL = 1e-6
#: the calculation ID in an exported file name (``hazard_curve-mean-PGA_12.csv``)
CALC_ID = re.compile(r"_\d+(\.csv)$")


def read_csv(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    return rows[0], rows[1:]


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def _canon(name):
    """Column names with numbers written canonically ('poe-0.1000000' == 'poe-0.1')."""
    head, _, tail = name.rpartition("-")
    x = number(tail)
    return "%s-%r" % (head, x) if head and x is not None else name


def compare(expected, actual, rtol=RTOL):
    """Columns matched by name (extra actual columns ignored), rows in order, numbers
    within ATOL + RTOL |expected|; returns a list of problems."""
    eh, erows = read_csv(expected)
    ah, arows = read_csv(actual)
    base = os.path.basename(expected)
    apos = {_canon(h): i for i, h in enumerate(ah)}
    missing = [h for h in eh if _canon(h) not in apos]
    if missing:
        return ["%s: missing columns %s" % (base, missing)]
    if len(erows) != len(arows):
        return ["%s: %d rows != %d" % (base, len(erows), len(arows))]
    bad = []
    for i, (er, ar) in enumerate(zip(erows, arows)):
        for col, e in zip(eh, er):
            a = ar[apos[_canon(col)]]
            x, y = number(e), number(a)
            if x is None or y is None:
                if e != a:
                    bad.append("%s row %d %s: %r != %r" % (base, i, col, e, a))
            elif not abs(x - y) <= ATOL + rtol * abs(x):
                bad.append("%s row %d %s: %s != %s" % (base, i, col, e, a))
    return bad
