"""Insurance policies (``insurance_csv``): per policy, a deductible and an insurance
limit as fractions of the insured value; the exposure's ``policy`` tag says which
policy covers an asset.

A job gives ``insurance_csv = {'structural': 'policy.csv'}`` (or a sum of loss types such
as ``'structural+nonstructural'``); the file has the columns ``policy``, ``deductible``
and ``insurance_limit``. The insured loss of an asset in an event is the part of its
ground-up loss between ``deductible x value`` and ``insurance_limit x value`` (see
:func:`oqcore.risk.losses.insured_losses`), reported as loss type ``<loss type>_ins``.
"""
from __future__ import annotations

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.risk.consequence import csv_rows
from oqcore.risk.losses import insured_losses

#: the exposure tag naming the policy of each asset
POLICY_TAG = "policy"


@attrs.define
class InsuranceCover:
    """The insured loss type of one policy file.

    :ivar loss_type: the insured loss type (``structural`` or a sum such as
        ``structural+nonstructural``)
    :ivar deductible: (P,) fraction of the value per policy tag index (0 = no policy)
    :ivar limit: (P,) fraction of the value per policy tag index
    :ivar covered: (P,) whether the policy is in the file (uncovered assets insure 0)
    """
    loss_type: str
    deductible: np.ndarray
    limit: np.ndarray
    covered: np.ndarray

    @property
    def name(self) -> str:
        """The name of the insured loss type: ``<loss type>_ins``."""
        return self.loss_type + "_ins"

    @property
    def parts(self) -> list[str]:
        """The loss types summed into the insured one."""
        return self.loss_type.split("+")

    def insured(self, losses: np.ndarray, values: np.ndarray,
                policies: np.ndarray) -> np.ndarray:
        """Insured losses (n,) from ground-up ``losses`` (n,) of assets of ``values`` (n,)
        (same units) and policy tag indices ``policies`` (n,)."""
        ded = self.deductible[policies] * values
        lim = self.limit[policies] * values
        return np.where(self.covered[policies], insured_losses(losses, ded, lim), 0.0)


def read_insurance(inputs: dict, policies: list[str], loss_types: list[str]
                   ) -> list[InsuranceCover]:
    """The insurance covers of a job.

    :param inputs: {loss type: policy CSV file} (``insurance_csv``)
    :param policies: the values of the exposure's ``policy`` tag (index 0 is ``?``);
        empty when the exposure has no such tag
    :param loss_types: the loss types of the risk model
    :returns: one :class:`InsuranceCover` per insured loss type, in input order
    """
    out = []
    for lt, fname in inputs.items():
        parts = [p.strip() for p in lt.split("+")]
        unknown = [p for p in parts if p not in loss_types]
        if unknown:
            raise InvalidInput("insurance_csv: %s is not a loss type of the risk model (%s)"
                               % (", ".join(unknown), ", ".join(loss_types)),
                               param="insurance_csv")
        if not policies:
            raise InvalidInput("insurance_csv needs a %r tag in the exposure" % POLICY_TAG,
                               param="insurance_csv")
        out.append(_read_policy_file(fname, "+".join(parts), policies))
    return out


def _read_policy_file(fname: str, loss_type: str, policies: list[str]) -> InsuranceCover:
    index = {p: i for i, p in enumerate(policies)}
    P = len(policies)
    cover = InsuranceCover(loss_type, np.zeros(P), np.zeros(P), np.zeros(P, bool))
    for lineno, header, row in csv_rows(fname):
        missing = [c for c in (POLICY_TAG, "deductible", "insurance_limit")
                   if c not in header]
        if missing:
            raise InvalidInput("missing column(s) %s" % ", ".join(missing), fname=fname,
                               lineno=1)
        pol = row[POLICY_TAG]
        if pol not in index:
            raise InvalidInput("policy %r is not a value of the exposure's policy tag" % pol,
                               fname=fname, lineno=lineno)
        i = index[pol]
        if cover.covered[i]:
            raise InvalidInput("duplicate policy %r" % pol, fname=fname, lineno=lineno)
        try:
            ded, lim = float(row["deductible"]), float(row["insurance_limit"])
        except ValueError as exc:
            raise InvalidInput(str(exc), fname=fname, lineno=lineno) from None
        for name, x in (("deductible", ded), ("insurance_limit", lim)):
            if not 0 <= x <= 1:
                raise InvalidInput("%s=%s must be a fraction between 0 and 1" % (name, x),
                                   fname=fname, lineno=lineno)
        if ded > lim:
            raise InvalidInput("the deductible %s exceeds the insurance limit %s" % (
                ded, lim), fname=fname, lineno=lineno)
        cover.deductible[i], cover.limit[i], cover.covered[i] = ded, lim, True
    return cover
