"""Big fault sources split into magnitude pieces: the pieces partition the MFD bins
and their contexts are those of the whole source."""
import numpy as np

from oqcore.hazard.source import fault_ruptures as fr
from oqcore.hazard.source.mfd import occurrence_arrays

from .test_fault_ruptures import CASES, _contexts, _setup


def test_split_fault_source_partitions_the_magnitudes(tmp_path):
    src, cmaker = _setup(CASES["simple"], tmp_path)
    counts = fr.floating_rupture_counts(src)
    mags, rates = occurrence_arrays(src.mfd)
    assert len(counts) == len(mags) and (counts >= 1).all()
    pieces = fr.split_fault_source(src, counts, counts.max())
    assert len(pieces) > 1
    assert [p.source_id for p, _ in pieces] == ["%s:%d" % (src.source_id, k)
                                               for k in range(len(pieces))]
    assert all(w <= counts.max() for _, w in pieces)
    assert sum(w for _, w in pieces) == counts.sum()
    got = np.concatenate([occurrence_arrays(p.mfd)[0] for p, _ in pieces])
    np.testing.assert_array_equal(got, mags)
    whole = _contexts(src, cmaker)
    parts = np.concatenate([_contexts(p, cmaker) for p, _ in pieces])
    assert len(parts) == len(whole)
    for f in ("mag", "rrup", "rjb", "rx", "ry0", "occurrence_rate", "sids"):
        np.testing.assert_array_equal(np.sort(parts[f]), np.sort(whole[f]), err_msg=f)
    # a source lighter than the limit is kept whole
    assert fr.split_fault_source(src, counts, counts.sum()) == [(src, counts.sum())]
