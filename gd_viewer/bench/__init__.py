"""Engine benchmark: how fast gd-viewer's core runs gradient descent, against plain code.

Run it from the repository root (it is not part of the test suite)::

    python -m gd_viewer.bench            # full run: 0.5 to 1.5 minutes, ~0.5 GB of memory
    python -m gd_viewer.bench --quick    # smoke run: N up to 1e5, a few seconds

Three sections, each printed as a table, then a ``targets`` block:

1. Full-batch GD, epochs per second, at N = 3 … 1e7 points: the tutorial's
   pure-Python loop, a straightforward numpy loop, and gd-viewer's :class:`Run`
   (per-point arithmetic up to ``EXACT_MAX_POINTS``, the O(1) quadratic form above).
2. A whole 100-epoch run at N = 1e7, construction included (the pass over the data
   that takes the sums), against one ``np.dot(x, y)`` over the same arrays.
3. Mini-batch SGD (batch 256, shuffled) at N = 1e6, milliseconds per epoch.

Every figure is the *best* of several repeats (the one least disturbed by other
work on the machine; section 3 also shows the median); a case repeats until its
timed total reaches ``--min-time`` seconds (0.3 by default) and at least three
times (the pure-Python loop at 1e6: two single epochs). Everything runs on one
core. Only numpy and the standard library are used (no Qt).
"""

from __future__ import annotations

import os
import sys

# Pin every BLAS / OpenMP pool to one thread. The pools read these variables once,
# when numpy loads its BLAS library at import, so they must be set before the first
# ``import numpy`` (here or in gd_viewer.core); set later they do nothing. Without
# them ``np.dot`` over 1e7 points may run on every core while the Python loops and
# the numpy element-wise ops use one, so the ratios would measure the machine's core
# count rather than the code, and change from one machine to the next.
_NUMPY_ALREADY_LOADED = "numpy" in sys.modules
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _variable in _THREAD_VARIABLES:
    os.environ[_variable] = "1"
