"""The spaCy networks' matrix products through numpy's BLAS instead of thinc's bundled blis.

thinc's ``NumpyOps.gemm`` calls blis, which on some CPUs runs a generic kernel: on the 2-core AMD
EPYC machine the benchmarks run on, a (3000 × 288) · (288 × 288) float32 product takes 25 ms in
blis and 6 ms in numpy's OpenBLAS (single-threaded), and the token encoders' and NER's products
are a third of the pipeline's CPU. :func:`use_numpy_blas` gives every model of a pipeline
:class:`NumpyBlasOps`, whose ``gemm`` is ``numpy.matmul``; everything else stays thinc's. Results
differ from blis only in float rounding (the tests compare them); ``settings.NUMPY_BLAS = False``
keeps blis. Worker processes run numpy's BLAS on one thread (``threads.single_thread_blas``): they are
as many as the cores, and threads of their own would only compete (:mod:`.threads`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy
from thinc.backends.numpy_ops import NumpyOps

if TYPE_CHECKING:
    from spacy.language import Language


class NumpyBlasOps(NumpyOps):
    """thinc's numpy backend with ``gemm`` done by numpy (its BLAS) instead of blis."""

    name = "numpy"

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        """``x @ y`` (either transposed first), into ``out`` when given, as ``NumpyOps.gemm``."""
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


def use_numpy_blas(nlp: Language) -> int:
    """Give every model node of ``nlp``'s components :class:`NumpyBlasOps`; returns how many."""
    ops = NumpyBlasOps()
    n = 0
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
                n += 1
    return n
