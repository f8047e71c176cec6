"""A small damped least-squares fit (Levenberg-Marquardt) in pure Python.

placing.py turns "these parts touch the floor, that hand the wall" into residuals of
a few variables (the body's lift and shift, the angles of the limbs that touch); this
module finds the variables that make them smallest, each kept within its limits. The
problems are tiny (a dozen variables at most), so plain lists and Gaussian
elimination are fast enough and keep numpy out of a build.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

Residuals = Callable[[list[float]], list[float]]
Limits = Sequence[tuple[float, float] | None]  # per variable: (low, high), or free


def least_squares(
    residuals: Residuals, x: list[float], limits: Limits, iterations: int = 80
) -> list[float]:
    """The variables near `x` that make sum(residuals(x)**2) smallest, each clamped to
    its limits; stops after `iterations` steps, or once a step no longer helps."""

    def clamp(values: list[float]) -> list[float]:
        return [
            v if lim is None else min(max(v, lim[0]), lim[1])
            for v, lim in zip(values, limits, strict=True)
        ]

    x = clamp(x)
    r = residuals(x)
    cost = _dot(r, r)
    damping = 1e-3
    n = len(x)
    for _ in range(iterations):
        columns = _jacobian_columns(residuals, x, r)
        jtj = [[_dot(columns[i], columns[j]) for j in range(n)] for i in range(n)]
        jtr = [_dot(column, r) for column in columns]
        improved = done = False
        while damping < 1e8:
            system = [
                [jtj[i][j] + (damping * (jtj[i][i] + 1e-6) if i == j else 0.0) for j in range(n)]
                for i in range(n)
            ]
            step = _solve(system, [-g for g in jtr])
            candidate = clamp([a + b for a, b in zip(x, step, strict=True)])
            r_new = residuals(candidate)
            cost_new = _dot(r_new, r_new)
            if cost_new < cost:
                moved = max(abs(a - b) for a, b in zip(candidate, x, strict=True))
                # Drawn to a tenth of a unit: a crawl along a valley of equal poses is done.
                done = moved < 0.01 or cost - cost_new < 1e-4 * cost
                x, r, cost = candidate, r_new, cost_new
                damping = max(damping / 4, 1e-7)
                improved = True
                break
            damping *= 5
        if not improved or done:
            break
    return x


def _dot(a: list[float], b: list[float]) -> float:
    return sum(map(operator.mul, a, b))


def _jacobian_columns(residuals: Residuals, x: list[float], r: list[float]) -> list[list[float]]:
    """d(residuals)/d(variable), one column per variable, by forward differences."""
    columns = []
    for i in range(len(x)):
        h = 1e-4 * (1 + abs(x[i]))
        shifted = list(x)
        shifted[i] += h
        r_h = residuals(shifted)
        columns.append([(b - a) / h for a, b in zip(r, r_h, strict=True)])
    return columns


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting; the systems here are tiny."""
    n = len(rhs)
    m = [[*row, v] for row, v in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            continue
        m[col], m[pivot] = m[pivot], m[col]
        for row in range(col + 1, n):
            factor = m[row][col] / m[col][col]
            if factor:
                for k in range(col, n + 1):
                    m[row][k] -= factor * m[col][k]
    solution = [0.0] * n
    for row in range(n - 1, -1, -1):
        if abs(m[row][row]) < 1e-12:
            continue
        total = m[row][n] - sum(m[row][k] * solution[k] for k in range(row + 1, n))
        solution[row] = total / m[row][row]
    return solution
