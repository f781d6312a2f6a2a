"""planrisk's model written with OpenTURNS, as an OpenTURNS user would.

The uncertain parameters are one `JointDistribution` of their marginals (`Normal`,
`LogNormal`, `Uniform`, `Triangular`) tied by a `NormalCopula` of the scenario's
correlation matrix (the independent ones by an `IndependentCopula`, through a
`BlockIndependentCopula`); the growth shocks are standard normals from `Normal(k)`.
The model is one `SymbolicFunction` (an ExprTk program, compiled once, evaluated in C++
over a whole `Sample`): per year, factor-structured shocks
eps = w_nat·z_nat + w_reg·z_reg + w_sec·z_sec + w_idio·z (factors with zero weight have
no input), AR(1) u_1 = eps_1, u_t = ar1·u_{t-1} + sqrt(1 - ar1²)·eps_t,
VA_t = VA_{t-1}·(1 + max(g + offset + vol·u_t, -0.95)); energy = VA × base intensity ×
(1 + trend)^t in the years targets read; one output per target (its metric). Draws go
in blocks: sample the inputs, evaluate the function on the sample, count hits.

Usage: python openturns_peer.py SCENARIO.toml --draws N [--seed S] [--block B]
Prints one JSON object: per target hits and P(hit) with its Wilson interval, and the
seconds the draws took (sampling, evaluation and counting; not the imports, reading the
file or compiling the function).
"""
import time

import numpy as np
import openturns as ot

import scenario


def marginal(p):
    if p.dist == "normal":
        return ot.Normal(*p.args)
    if p.dist == "lognormal":
        return ot.LogNormal(*p.args)
    if p.dist == "uniform":
        return ot.Uniform(*p.args)
    lo, mode, hi = p.args
    return ot.Triangular(lo, mode, hi)


def parameter_distribution(spec):
    """The uncertain parameters' joint distribution, and their names in its order
    (the correlated ones first, in the matrix's order)."""
    by_name = {p.name: p for p in spec.params}
    names = list(spec.copula_params) + [p.name for p in spec.params
                                        if p.name not in spec.copula_params]
    blocks = []
    if spec.copula_params:
        k = len(spec.copula_params)
        r = ot.CorrelationMatrix(k)
        for i in range(k):
            for j in range(k):
                r[i, j] = spec.copula_matrix[i][j]
        blocks.append(ot.NormalCopula(r))
    if len(names) > len(spec.copula_params):
        blocks.append(ot.IndependentCopula(len(names) - len(spec.copula_params)))
    copula = blocks[0] if len(blocks) == 1 else ot.BlockIndependentCopula(blocks)
    return ot.JointDistribution([marginal(by_name[n]) for n in names], copula), names


def program(spec, param_names):
    """The model as an ExprTk program: (input names, output names, formula)."""
    r_n, s_n = len(spec.regions), len(spec.sectors)
    shock_names, lines = [], []

    def value(v):
        return v.param if v.param else repr(v.const)

    def z(name):
        shock_names.append(name)
        return name

    for r in range(r_n):
        for s in range(s_n):
            lines.append(f"var va_{r}_{s} := {spec.va0[r][s]!r}; var u_{r}_{s} := 0;")
    needed = {t for tg in spec.targets for t in (tg.t_from, tg.t_to)}
    if 0 in needed:
        lines += [f"var va_{r}_{s}_0 := va_{r}_{s};" for r in range(r_n) for s in range(s_n)]
    for t in range(1, spec.years + 1):
        common = []
        if spec.w_national:
            common.append(f"{spec.w_national!r} * {z(f'zn_{t}')}")
        for r in range(r_n):
            regional = common + ([f"{spec.w_region!r} * {z(f'zr_{t}_{r}')}"]
                                 if spec.w_region else [])
            for s in range(s_n):
                terms = regional + ([f"{spec.w_sector!r} * zs_{t}_{s}"] if spec.w_sector else [])
                terms.append(f"{spec.w_idio!r} * {z(f'zi_{t}_{r}_{s}')}")
                eps = " + ".join(terms)
                u = f"u_{r}_{s}"
                if t == 1:
                    lines.append(f"{u} := {eps};")
                else:
                    lines.append(f"{u} := {spec.ar1!r} * {u} + {spec.innovation!r} * ({eps});")
                g = f"{value(spec.growth[s])} + {value(spec.offset[r])} + {value(spec.volatility[s])} * {u}"
                lines.append(f"va_{r}_{s} := va_{r}_{s} * (1 + max({g}, {scenario.MIN_GROWTH!r}));")
                if t in needed:
                    lines.append(f"var va_{r}_{s}_{t} := va_{r}_{s};")
        if spec.w_sector:
            shock_names += [f"zs_{t}_{s}" for s in range(s_n)]

    def series(sr, t):
        cells = [(r, s) for r in range(r_n) for s in range(s_n)
                 if sr.region in (None, r) and sr.sector in (None, s)]
        if not sr.energy:
            return "(" + " + ".join(f"va_{r}_{s}_{t}" for r, s in cells) + ")"
        return "(" + " + ".join(
            f"va_{r}_{s}_{t} * {spec.intensity0[r][s]!r} * pow(1 + {value(spec.intensity_change[s])}, {t})"
            for r, s in cells) + ")"

    outputs = []
    for i, tg in enumerate(spec.targets):
        b, h = series(tg.num, tg.t_from), series(tg.num, tg.t_to)
        if tg.den is not None:
            b = f"{b} / {series(tg.den, tg.t_from)}"
            h = f"{h} / {series(tg.den, tg.t_to)}"
        metric = {
            "cagr": f"100 * (pow(({h}) / ({b}), 1 / {tg.t_to - tg.t_from}) - 1)",
            "change_pct": f"100 * (({h}) / ({b}) - 1)",
            "multiple": f"({h}) / ({b})",
            "level": f"{h}",
        }[tg.metric]
        outputs.append(f"y{i}")
        lines.append(f"y{i} := {metric};")
    return list(param_names) + shock_names, outputs, "\n".join(lines)


def main():
    a = scenario.peer_arguments("planrisk's model in OpenTURNS")
    spec = scenario.load(a.scenario)
    ot.TBB.SetThreadsNumber(1)
    ot.RandomGenerator.SetSeed(spec.seed if a.seed is None else a.seed)
    params, param_names = parameter_distribution(spec)
    inputs, outputs, formula = program(spec, param_names)
    model = ot.SymbolicFunction(inputs, outputs, formula)
    shocks = ot.Normal(len(inputs) - len(param_names))
    hits = np.zeros(len(spec.targets), dtype=np.int64)
    start, start_cpu = time.perf_counter(), time.process_time()
    for n in scenario.blocks(a.draws, a.block):
        x = params.getSample(n)
        x.stack(shocks.getSample(n))
        y = np.asarray(model(x))
        for i, tg in enumerate(spec.targets):
            hits[i] += np.count_nonzero(scenario.hit(tg, y[:, i]))
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    scenario.print_result("openturns", spec, hits, a.draws, seconds, cpu)


if __name__ == "__main__":
    main()
