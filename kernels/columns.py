"""Column gather of a run's outputs in one pass over the rows.

The kernels write one row per step (``out[step, column]``); tables want one
contiguous array per column. Taking the columns one at a time strides over the
whole array once per column; this reads each row once and writes every wanted
column, scaled, into a column-major block.
"""

from __future__ import annotations

from kernels._jit import njit


@njit
def gather_scaled(out, columns, scale, rows, block):
    """``block[rows[j], k] = out[k, columns[j]] * scale[j]`` for every step ``k``.

    Parameters
    ----------
    out : ndarray (n_steps, n_columns)
    columns : ndarray of int (m,)
        Column of ``out`` for each row of ``block``.
    scale : ndarray (m,)
        Factor applied to each gathered column (unit conversion).
    rows : ndarray of int (m,)
        Row of ``block`` that receives each gathered column.
    block : ndarray (n_rows, n_steps)
        Written in place, rows ``rows``.
    """
    m = columns.shape[0]
    for k in range(out.shape[0]):
        row = out[k]
        for j in range(m):
            block[rows[j], k] = row[columns[j]] * scale[j]
