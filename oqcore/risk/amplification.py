"""Post-loss amplification (``post_loss_amplification_file``): a factor by return period
multiplying the event losses of event-based aggregate curves and aggregate losses
(demand surge after large events).

The CSV file has the columns ``return_period`` and ``pla_factor``, both increasing; the
factor is linear in the return period between the rows, 1 below the first and the last
factor above the last.
"""
from __future__ import annotations

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.risk.consequence import csv_rows


@attrs.define
class LossAmplification:
    """Amplification factors at return periods (both (P,), increasing)."""
    periods: np.ndarray
    factors: np.ndarray

    def __call__(self, periods: np.ndarray) -> np.ndarray:
        """The factors (n,) at return periods (n,) in years."""
        return np.interp(periods, self.periods, self.factors, left=1.0,
                         right=self.factors[-1])


def read_amplification(fname: str) -> LossAmplification:
    """Read a post-loss amplification CSV (see the module docstring)."""
    periods, factors = [], []
    for lineno, header, row in csv_rows(fname):
        missing = [c for c in ("return_period", "pla_factor") if c not in header]
        if missing:
            raise InvalidInput("missing column(s) %s" % ", ".join(missing), fname=fname,
                               lineno=1)
        try:
            rp, f = float(row["return_period"]), float(row["pla_factor"])
        except ValueError as exc:
            raise InvalidInput(str(exc), fname=fname, lineno=lineno) from None
        if not (rp > 0 and f > 0 and np.isfinite(rp) and np.isfinite(f)):
            raise InvalidInput("return_period and pla_factor must be positive numbers",
                               fname=fname, lineno=lineno)
        if periods and (rp <= periods[-1] or f < factors[-1]):
            raise InvalidInput("the return periods must increase and the factors must "
                               "not decrease", fname=fname, lineno=lineno)
        periods.append(rp)
        factors.append(f)
    return LossAmplification(np.array(periods), np.array(factors))
