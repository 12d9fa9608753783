"""blas.py: the networks' matrix products in numpy's BLAS give blis's results, to float rounding."""

from __future__ import annotations

import numpy
import pytest
from thinc.backends.numpy_ops import NumpyOps

from eventcoder.util.blas import NumpyBlasOps, use_numpy_blas
from eventcoder.util.threads import single_thread_blas


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_matches_thinc(trans1: bool, trans2: bool) -> None:
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((40, 30) if not trans1 else (30, 40), dtype="float32")
    y = rng.standard_normal((30, 20) if not trans2 else (20, 30), dtype="float32")
    want = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = NumpyBlasOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.shape == want.shape == (40, 20) and got.dtype == numpy.float32
    numpy.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    out = numpy.zeros((40, 20), dtype="float32")
    assert NumpyBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    numpy.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


def test_pipeline_uses_it_and_annotates_as_with_blis() -> None:
    from eventcoder import settings
    from eventcoder.engines.local import sample_corpus_path
    from eventcoder.pipeline.nlp import build_nlp

    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_corpus_path().glob("*.txt"))]
    assert texts, "the bundled sample has .txt articles"
    ours = build_nlp()
    assert settings.NUMPY_BLAS
    ops = {type(node.ops) for _, pipe in ours.components if hasattr(pipe, "model") for node in pipe.model.walk()}
    assert ops == {NumpyBlasOps}
    stock = build_nlp()
    for _, pipe in stock.components:  # back to thinc's blis
        for node in pipe.model.walk() if hasattr(pipe, "model") else ():
            node.ops = NumpyOps()
    single_thread_blas()
    attrs = ["TAG", "POS", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE"]
    same = total = 0
    for a, b in zip(ours.pipe(texts), stock.pipe(texts), strict=True):
        rows_a, rows_b = a.to_array(attrs).tolist(), b.to_array(attrs).tolist()
        same += sum(x == y for x, y in zip(rows_a, rows_b, strict=True))
        total += len(rows_a)
    assert total > 3000 and same == total  # float rounding has not moved one token's annotation here
    assert use_numpy_blas(ours) == 0  # already done: nothing left on blis


def test_single_thread_blas_limits_the_loaded_blas() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    with threadpool_limits(limits=None):  # restores the test process's limits afterwards
        single_thread_blas()
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert blas and all(lib["num_threads"] == 1 for lib in blas)


def test_loading_collects_rarely_and_restores_the_thresholds() -> None:
    """threads.loading: the collector's first threshold is raised while the engine loads, and every
    threshold is as before afterwards, also when loading fails."""
    import gc

    from eventcoder.util.threads import LOADING_GC_THRESHOLD, loading

    before = gc.get_threshold()
    with loading():
        assert gc.get_threshold() == (max(before[0], LOADING_GC_THRESHOLD), *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), loading():
        raise RuntimeError("model missing")
    assert gc.get_threshold() == before
