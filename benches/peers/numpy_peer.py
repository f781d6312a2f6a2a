"""planrisk's model written in NumPy, vectorised over draws as a competent user would.

Per block of draws: parameters from their distributions (correlated ones through the
Gaussian copula: correlated normal scores L·z, normal marginals as mean + sd·z, the
others through Phi and their quantile function), then the years in a loop, each year one
array operation over (regions, sectors, draws): factor-structured shocks
eps = w_nat·z_nat + w_reg·z_reg + w_sec·z_sec + w_idio·z (factors with zero weight are
not drawn), AR(1) u_1 = eps_1, u_t = ar1·u_{t-1} + sqrt(1 - ar1²)·eps_t, and
VA_t = VA_{t-1}·(1 + max(g + offset + vol·u_t, -0.95)). Energy is VA × base intensity ×
(1 + trend)^t, computed only in the years a target reads. P(hit) per target is the share
of draws whose outcome meets it.

Needs SciPy only for Phi and its inverse (`scipy.special.ndtr`, `ndtri`), which NumPy
lacks.

Usage: python numpy_peer.py SCENARIO.toml --draws N [--seed S] [--block B]
Prints one JSON object: per target hits and P(hit) with its Wilson interval, and the
seconds the draws took (parameters, shocks, simulation and counting; not the imports or
reading the file).
"""
import time

import numpy as np
from scipy.special import ndtr, ndtri

import scenario


def quantile(p, u):
    """The quantile function of parameter `p` at uniforms `u`."""
    if p.dist == "normal":
        mean, sd = p.args
        return mean + sd * ndtri(u)
    if p.dist == "lognormal":
        mu, sigma = p.args
        return np.exp(mu + sigma * ndtri(u))
    if p.dist == "uniform":
        lo, hi = p.args
        return lo + (hi - lo) * u
    lo, mode, hi = p.args  # triangular
    r = hi - lo
    return np.where(u * r < mode - lo,
                    lo + np.sqrt(u * r * (mode - lo)),
                    hi - np.sqrt((1.0 - u) * r * (hi - mode)))


def draw_params(spec, rng, n):
    """Each uncertain parameter's values in `n` draws, by name."""
    out = {}
    by_name = {p.name: p for p in spec.params}
    if spec.copula_params:
        chol = np.linalg.cholesky(np.array(spec.copula_matrix))
        z = rng.standard_normal((n, len(spec.copula_params))) @ chol.T
        for j, name in enumerate(spec.copula_params):
            p = by_name[name]
            if p.dist == "normal":
                out[name] = p.args[0] + p.args[1] * z[:, j]
            elif p.dist == "lognormal":
                out[name] = np.exp(p.args[0] + p.args[1] * z[:, j])
            else:
                out[name] = quantile(p, ndtr(z[:, j]))
    for p in spec.params:
        if p.name in out:
            continue
        if p.dist == "normal":
            out[p.name] = p.args[0] + p.args[1] * rng.standard_normal(n)
        elif p.dist == "lognormal":
            out[p.name] = np.exp(p.args[0] + p.args[1] * rng.standard_normal(n))
        else:
            out[p.name] = quantile(p, rng.random(n))
    return out


def per_draw(values, params, n):
    """A list of `Value`s as a (len, n) array, or a (len, 1) column of constants."""
    if all(v.param is None for v in values):
        return np.array([[v.const] for v in values])
    return np.stack([params[v.param] if v.param else np.full(n, v.const) for v in values])


def simulate(spec, rng, n):
    """Hits per target in `n` draws. Arrays are (regions, sectors, draws): the draws axis
    last, so every operation is a long contiguous loop, not many loops over a few cells."""
    r_n, s_n, years = len(spec.regions), len(spec.sectors), spec.years
    params = draw_params(spec, rng, n)
    g = per_draw(spec.growth, params, n)[None, :, :]  # (1, S, n|1)
    vol = per_draw(spec.volatility, params, n)[None, :, :]
    offset = per_draw(spec.offset, params, n)[:, None, :]  # (R, 1, n|1)
    mean = g + offset
    va = np.repeat(np.array(spec.va0)[:, :, None], n, axis=2)
    needed = {t for tg in spec.targets for t in (tg.t_from, tg.t_to)}
    kept = {0: va.copy()} if 0 in needed else {}
    u = None
    for t in range(1, years + 1):
        eps = spec.w_idio * rng.standard_normal((r_n, s_n, n))
        if spec.w_national:
            eps += spec.w_national * rng.standard_normal(n)
        if spec.w_region:
            eps += spec.w_region * rng.standard_normal((r_n, 1, n))
        if spec.w_sector:
            eps += spec.w_sector * rng.standard_normal((1, s_n, n))
        u = eps if u is None else spec.ar1 * u + spec.innovation * eps
        va *= 1.0 + np.maximum(mean + vol * u, scenario.MIN_GROWTH)
        if t in needed:
            kept[t] = va.copy()
    change = per_draw(spec.intensity_change, params, n)[None, :, :]
    intensity0 = np.array(spec.intensity0)[:, :, None]

    def series(s, t):
        x = kept[t] if not s.energy else kept[t] * intensity0 * (1.0 + change) ** t
        if s.region is not None:
            x = x[s.region:s.region + 1]
        if s.sector is not None:
            x = x[:, s.sector:s.sector + 1]
        return x.sum(axis=(0, 1))

    hits = []
    for tg in spec.targets:
        b, h = series(tg.num, tg.t_from), series(tg.num, tg.t_to)
        if tg.den is not None:
            b, h = b / series(tg.den, tg.t_from), h / series(tg.den, tg.t_to)
        hits.append(int(np.count_nonzero(scenario.hit(tg, scenario.metric(tg, b, h)))))
    return hits


def main():
    a = scenario.peer_arguments("planrisk's model in NumPy")
    spec = scenario.load(a.scenario)
    rng = np.random.default_rng(spec.seed if a.seed is None else a.seed)
    hits = np.zeros(len(spec.targets), dtype=np.int64)
    start, start_cpu = time.perf_counter(), time.process_time()
    for n in scenario.blocks(a.draws, a.block):
        hits += simulate(spec, rng, n)
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    scenario.print_result("numpy", spec, hits, a.draws, seconds, cpu)


if __name__ == "__main__":
    main()
