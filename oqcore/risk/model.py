"""The composite risk model of a job: vulnerability or fragility functions per loss type
and risk ID, consequences, and the taxonomy mapping of the exposure onto risk IDs."""
from __future__ import annotations

import attrs
import numpy as np

from oqcore.errors import InvalidInput
from oqcore.risk.consequence import read_consequences, read_taxonomy_mapping
from oqcore.risk.fragility import read_fragility
from oqcore.risk.vulnerability import check_loss_type, read_vulnerability

#: loss types in the order of their stable IDs (datastore.md 4.6)
_LOSS_NAMES = """business_interruption contents nonstructural structural occupants occupants_day
occupants_night occupants_transit structural+nonstructural structural+contents
nonstructural+contents structural+nonstructural+contents structural+nonstructural_ins
structural+contents_ins nonstructural+contents_ins structural+nonstructural+contents_ins
structural_ins nonstructural_ins reinsurance claim area number residents
structural+business_interruption nonstructural+business_interruption
contents+business_interruption structural+nonstructural+business_interruption
structural+contents+business_interruption nonstructural+contents+business_interruption
structural+nonstructural+contents+business_interruption contents_ins
business_interruption_ins structural_ins+nonstructural_ins structural_ins+contents_ins
structural_ins+business_interruption_ins nonstructural_ins+contents_ins
nonstructural_ins+business_interruption_ins contents_ins+business_interruption_ins
structural_ins+nonstructural_ins+contents_ins
structural_ins+nonstructural_ins+business_interruption_ins
structural_ins+contents_ins+business_interruption_ins
nonstructural_ins+contents_ins+business_interruption_ins
structural_ins+nonstructural_ins+contents_ins+business_interruption_ins affectedpop injured
embodied_carbon""".split()
LOSS_IDS = {name: i for i, name in enumerate(_LOSS_NAMES)}


def total_loss_type(spec: str | None, loss_types: list[str]) -> str | None:
    """The combined loss type of ``total_losses`` (e.g. "structural+nonstructural"), in
    the canonical order of the loss IDs; InvalidInput for unknown combinations."""
    if not spec:
        return None
    parts = [p.strip() for p in spec.replace(",", "+").split("+") if p.strip()]
    missing = [p for p in parts if p not in loss_types]
    if missing:
        raise InvalidInput("total_losses: %s not among the loss types of the risk model "
                           "(%s)" % (", ".join(missing), ", ".join(loss_types)),
                           param="total_losses")
    order = ["structural", "nonstructural", "contents", "business_interruption"]
    name = "+".join(p for p in order if p in parts)
    if name not in LOSS_IDS or len(parts) < 2:
        raise InvalidInput("total_losses=%r is not a valid combination" % spec,
                           param="total_losses")
    return name


@attrs.define
class CompositeRiskModel:
    """Risk functions by loss type and risk ID.

    :ivar kind: ``vulnerability`` or ``fragility``
    :ivar functions: {loss_type: {risk_id: function}}
    :ivar limit_states: D names (fragility), else []
    :ivar consequences: {(consequence, loss_type): {risk_id: ratios (D,)}}
    :ivar taxmap: {taxonomy: [(risk_id, weight)]}
    :ivar files: {loss_type: file name} for error messages
    """
    kind: str
    functions: dict
    limit_states: list = attrs.field(factory=list)
    consequences: dict = attrs.field(factory=dict)
    taxmap: dict = attrs.field(factory=dict)
    files: dict = attrs.field(factory=dict)

    @property
    def loss_types(self) -> list[str]:
        """Loss types in the order of their IDs."""
        return sorted(self.functions, key=lambda lt: LOSS_IDS.get(lt, 99))

    def check_values(self, assets: np.ndarray, time_event: str = "avg") -> None:
        """InvalidInput unless the assets have what the model multiplies: the value of
        every loss type of a vulnerability model; for a fragility model (which counts
        buildings), the value of the loss types with a ``losses`` consequence."""
        for lt in self.loss_types:
            if self.kind.startswith("vulnerability") or ("losses", lt) in self.consequences:
                loss_type_value(assets, lt, time_event)

    @property
    def imts(self) -> list[str]:
        """Every IMT used by a function, sorted."""
        return sorted({f.imt for fs in self.functions.values() for f in fs.values()})

    def min_iml(self) -> dict[str, float]:
        """The smallest first IML of the functions of each IMT (vulnerability)."""
        out: dict = {}
        for fs in self.functions.values():
            for f in fs.values():
                x = float(f.imls[0]) if f.imls is not None and len(f.imls) else 0.0
                out[f.imt] = min(out.get(f.imt, x), x)
        return out

    def mapping(self, taxonomy: str) -> list[tuple[str, float]]:
        """The (risk ID, weight) pairs of an exposure taxonomy."""
        return self.taxmap.get(taxonomy, [(taxonomy, 1.0)])

    def check_taxonomies(self, taxonomies) -> None:
        """Every taxonomy of the exposure needs a function for every loss type."""
        for lt, fs in self.functions.items():
            for taxo in taxonomies:
                for rid, _w in self.mapping(taxo):
                    if rid not in fs:
                        raise InvalidInput(
                            "no %s function for taxonomy %r%s (available: %s)" % (
                                self.kind, taxo, "" if rid == taxo else " (%s)" % rid,
                                ", ".join(sorted(fs)[:10])), fname=self.files.get(lt))

    def to_rows(self) -> list[tuple[str, str, str]]:
        """(risk_id, loss_type, JSON of the function) rows for the ``crm`` table."""
        import json
        return [(rid, lt, json.dumps(f.to_dict())) for lt in self.loss_types
                for rid, f in sorted(self.functions[lt].items())]


#: the peril of ground shaking, the only one with risk functions here
SHAKING = "groundshaking"


#: the kinds of input that make up a risk model (each ``<loss_type>_<kind>_file``)
RISK_MODEL_KINDS = ("vulnerability", "vulnerability_retrofitted", "fragility",
                    "consequence", "taxonomy_mapping")


def risk_model_inputs(inputs: dict) -> dict:
    """The inputs of a job (``oq.inputs``) that make up its risk model: vulnerability,
    retrofitted vulnerability, fragility and consequence files, taxonomy mapping."""
    return {key: path for key, path in inputs.items() if key.endswith(RISK_MODEL_KINDS)}


def _inputs_with(inputs: dict, suffix: str) -> dict[str, str]:
    """{loss type: file} of the ``<loss_type>_<suffix>_file`` inputs, and of the per-peril
    form ``groundshaking_<suffix>_file = {loss_type: file}``; other perils are refused."""
    out = {}
    for key, path in inputs.items():
        if not key.endswith(suffix):
            continue
        prefix = key[: -len(suffix)].rstrip("_")
        if isinstance(path, dict):  # per-peril form: prefix is the peril
            if prefix != SHAKING:
                raise InvalidInput("risk functions for the peril %r are not supported: only "
                                   "%s" % (prefix, SHAKING), param="%s_%s_file" % (
                                       prefix, suffix))
            out.update(path)
        else:
            out[prefix] = path
    return out


def read_risk_model(oq, kind: str) -> CompositeRiskModel:
    """Read the vulnerability (``kind='vulnerability'``), retrofitted vulnerability
    (``'vulnerability_retrofitted'``) or fragility model of a job, with its
    consequences and taxonomy mapping."""
    inputs = oq.inputs
    files = _inputs_with(inputs, kind)
    if not files:
        raise InvalidInput("the job has no %s model: set <loss_type>_%s_file" % (kind, kind),
                           param="%s_file" % kind)
    functions: dict = {}
    limit_states: list = []
    names: dict = {}
    for lt, fname in files.items():
        if isinstance(fname, list):
            fname = fname[0]
        if kind.startswith("vulnerability"):
            declared, fs = read_vulnerability(fname)
        else:
            declared, ls, fs = read_fragility(fname)
            if limit_states and ls != limit_states:
                raise InvalidInput("limit states %s differ from %s" % (ls, limit_states),
                                   fname=fname)
            limit_states = ls
        if not lt:
            lt = declared or "structural"
        check_loss_type(fname, declared, lt)
        functions[lt] = fs
        names[lt] = fname
    consequences: dict = {}
    csq = inputs.get("consequence")
    if csq:
        paths = csq.values() if isinstance(csq, dict) else (
            csq if isinstance(csq, list) else [csq])
        paths = [q for p in paths for q in (p if isinstance(p, list) else [p])]
        for p in paths:
            for (cname, lt), val in read_consequences(p, limit_states).items():
                # a file without loss_type column applies to every loss type of the model
                for lt_ in (functions if lt is None else [lt]):
                    consequences.setdefault((cname, lt_), {}).update(val)
    taxmap = {}
    if inputs.get("taxonomy_mapping"):
        taxmap = read_taxonomy_mapping(inputs["taxonomy_mapping"])
    return CompositeRiskModel(kind, functions, limit_states, consequences, taxmap, names)


def loss_type_value(assets: np.ndarray, loss_type: str, time_event: str = "avg"
                    ) -> np.ndarray:
    """Exposed value of each asset for a loss type: occupants at ``time_event`` for
    ``occupants`` and ``injured``, the residents for ``affectedpop`` and ``residents``,
    the ``area`` or ``number`` field, else the value of the cost type."""
    if loss_type in ("affectedpop", "residents"):
        if "residents" not in assets.dtype.names:
            raise InvalidInput("a %s model needs the residents of the assets (a residents "
                               "field in the exposure)" % loss_type)
        return assets["residents"]
    if loss_type in ("area", "number"):
        return assets[loss_type]
    if loss_type in ("occupants", "injured"):
        name = "occupants_%s" % time_event
        if name not in assets.dtype.names:
            raise InvalidInput("the exposure has no occupants for time_event=%s" % time_event,
                               param="time_event")
        return assets[name]
    name = "value-%s" % loss_type
    if name not in assets.dtype.names:
        raise InvalidInput("the exposure has no %r cost type, but a %s model is given" % (
            loss_type, loss_type))
    return assets[name]
