"""Reads a planrisk scenario file into plain numbers for the NumPy and OpenTURNS peers.

The peers implement the same model as planrisk's kernel (src/sim/kernel/, src/model/)
for the subset of the format the example scenarios use: regions and sectors (value
added, growth, volatility, energy intensity and its trend), AR(1) growth shocks with a
national / region / sector / idiosyncratic factor structure, parameters with normal,
lognormal, uniform or triangular distributions (optionally rank-correlated through a
Gaussian copula), and targets on value added and energy (`va`, `energy`, restricted with
`:sector` / `@region`, optionally `per` another series) with the metrics `cagr`,
`change_pct`, `level` and `multiple`. Anything else is refused with a message rather
than silently simulated differently. Parsing is not part of any timing.
"""
import argparse
import json
import math
import tomllib
from dataclasses import dataclass, field

# z such that Phi(z) = 0.95 (as planrisk's `Z95`): turns p5/p95 into a standard deviation.
Z95 = 1.6448536269514722
# Growth below -95% a year is floored, as in planrisk's kernel (`MIN_GROWTH`).
MIN_GROWTH = -0.95
# Two-sided 95% normal quantile, for Wilson intervals (planrisk's `p_hit_ci95`).
Z975 = 1.959963984540054

UNSUPPORTED = ("capacity", "derived", "indicators", "observed", "response")


class Unsupported(Exception):
    """The scenario uses a feature the peers do not implement."""


@dataclass
class Param:
    name: str
    dist: str  # "fixed", "normal", "lognormal", "uniform" or "triangular"
    args: tuple  # fixed: (v,); normal: (mean, sd); lognormal: (mu, sigma);
    #              uniform: (min, max); triangular: (min, mode, max)


@dataclass
class Value:
    """A number fixed in the file, or the name of a parameter."""
    const: float = 0.0
    param: str | None = None


@dataclass
class Series:
    energy: bool
    region: int | None
    sector: int | None


@dataclass
class Target:
    id: str
    num: Series
    den: Series | None
    metric: str
    comparator: str
    value: float
    band: float
    t_from: int  # year index, 0 = base year
    t_to: int


@dataclass
class Spec:
    id: str
    seed: int
    years: int  # simulated years (horizon - base year)
    regions: list
    sectors: list
    va0: list  # [r][s]
    intensity0: list  # [r][s]
    growth: list  # Value per sector
    volatility: list
    intensity_change: list
    offset: list  # Value per region
    ar1: float
    # Standard-deviation weights of the factors (square roots of the variance shares).
    w_national: float
    w_region: float
    w_sector: float
    w_idio: float
    params: list  # uncertain Param, in file order
    fixed: dict  # name -> value
    copula_params: list = field(default_factory=list)  # names, in matrix order
    copula_matrix: list = field(default_factory=list)
    targets: list = field(default_factory=list)

    @property
    def innovation(self):
        return math.sqrt(1.0 - self.ar1 * self.ar1)


def _param(name, d):
    kind = d["dist"]
    if kind == "fixed":
        return Param(name, "fixed", (float(d["value"]),))
    if kind == "normal":
        if "p5" in d:
            return Param(name, "normal", ((d["p5"] + d["p95"]) / 2, (d["p95"] - d["p5"]) / (2 * Z95)))
        return Param(name, "normal", (float(d["mean"]), float(d["sd"])))
    if kind == "lognormal":
        if "p5" in d:
            a, b = math.log(d["p5"]), math.log(d["p95"])
            return Param(name, "lognormal", ((a + b) / 2, (b - a) / (2 * Z95)))
        return Param(name, "lognormal", (float(d["mu"]), float(d["sigma"])))
    if kind == "uniform":
        return Param(name, "uniform", (float(d["min"]), float(d["max"])))
    if kind == "triangular":
        return Param(name, "triangular", (float(d["min"]), float(d["mode"]), float(d["max"])))
    raise Unsupported(f"parameter `{name}`: distribution `{kind}` is not implemented by the peers")


def _value(v, default=0.0):
    if v is None:
        return Value(default)
    if isinstance(v, str):
        return Value(param=v)
    return Value(float(v))


def _series(name, regions, sectors):
    rest, _, region = name.partition("@")
    base, _, sector = rest.partition(":")
    if base not in ("va", "energy"):
        raise Unsupported(f"series `{name}`: only va and energy are implemented by the peers")
    return Series(base == "energy",
                  regions.index(region) if region else None,
                  sectors.index(sector) if sector else None)


def load(path):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    if "extends" in doc:
        raise Unsupported("`extends` is not implemented by the peers")
    for key in UNSUPPORTED:
        if doc.get(key):
            raise Unsupported(f"[[{key}]] is not implemented by the peers")
    meta = doc["scenario"]
    base, horizon = meta["base_year"], meta["horizon"]
    regions = [r["id"] for r in doc["regions"]]
    sectors = [s["id"] for s in doc["sectors"]]
    params = [_param(k, v) for k, v in doc.get("params", {}).items()]
    fixed = {p.name: p.args[0] for p in params if p.dist == "fixed"}
    sh = doc.get("shocks", {})
    shares = [sh.get("national", 0.0), sh.get("region", 0.0), sh.get("sector", 0.0)]
    ar1 = min(max(sh.get("ar1", 0.0), -0.999), 0.999)
    spec = Spec(
        id=meta["id"],
        seed=meta.get("seed", 1),
        years=horizon - base,
        regions=regions,
        sectors=sectors,
        va0=[[float(s["va"][r]) for s in doc["sectors"]] for r in regions],
        intensity0=[[float(s.get("energy_intensity", {}).get(r, 0.0)) for s in doc["sectors"]]
                    for r in regions],
        growth=[_value(s["growth"]) for s in doc["sectors"]],
        volatility=[_value(s.get("volatility")) for s in doc["sectors"]],
        intensity_change=[_value(s.get("intensity_change")) for s in doc["sectors"]],
        offset=[_value(r.get("growth_offset")) for r in doc["regions"]],
        ar1=ar1,
        w_national=math.sqrt(shares[0]),
        w_region=math.sqrt(shares[1]),
        w_sector=math.sqrt(shares[2]),
        w_idio=math.sqrt(max(1.0 - sum(shares), 0.0)),
        params=[p for p in params if p.dist != "fixed"],
        fixed=fixed,
    )
    if "correlation" in doc:
        spec.copula_params = list(doc["correlation"]["params"])
        spec.copula_matrix = [list(map(float, row)) for row in doc["correlation"]["matrix"]]
    for t in doc.get("targets", []):
        if t.get("status") == "unmodeled":
            continue
        metric = t["metric"]
        if metric not in ("cagr", "change_pct", "level", "multiple"):
            raise Unsupported(f"target `{t['id']}`: metric `{metric}` is not implemented by the peers")
        spec.targets.append(Target(
            id=t["id"],
            num=_series(t["series"], regions, sectors),
            den=_series(t["per"], regions, sectors) if "per" in t else None,
            metric=metric,
            comparator=t["comparator"],
            value=float(t["value"]),
            band=float(t.get("band", 0.0)),
            t_from=t.get("from", base) - base,
            t_to=t.get("horizon", horizon) - base,
        ))
    return spec


def metric(target, b, h):
    """A target's outcome from its series at the baseline (b) and horizon (h) years,
    as planrisk's `evaluate_targets` computes it (works on floats and arrays)."""
    if target.metric == "cagr":
        return 100.0 * ((h / b) ** (1.0 / (target.t_to - target.t_from)) - 1.0)
    if target.metric == "change_pct":
        return 100.0 * (h / b - 1.0)
    if target.metric == "multiple":
        return h / b
    return h  # level


def hit(target, outcome):
    """Whether each outcome meets the target, as planrisk's `Target::hit` decides."""
    if target.comparator == "at_least":
        return outcome >= target.value
    if target.comparator == "at_most":
        return outcome <= target.value
    return abs(outcome - target.value) <= target.band


def wilson(hits, n):
    """P(hit) and its Wilson 95% interval, as planrisk reports `p_hit_ci95`."""
    p = hits / n
    z2 = Z975 * Z975
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z975 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return p, centre - half, centre + half


def peer_arguments(description):
    """The command line both peers take."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("scenario")
    ap.add_argument("--draws", type=int, required=True)
    ap.add_argument("--seed", type=int, help="default: the scenario's seed")
    ap.add_argument("--block", type=int, default=1 << 15, help="draws per block")
    return ap.parse_args()


def blocks(draws, block):
    """The sizes of the blocks `draws` are simulated in."""
    done = 0
    while done < draws:
        n = min(block, draws - done)
        yield n
        done += n


def print_result(implementation, spec, hits, draws, seconds, cpu_seconds):
    """The one JSON line a peer prints: hits and P(hit) [Wilson 95%] per target, and
    the wall and CPU seconds of the draws."""
    print(json.dumps({
        "implementation": implementation,
        "draws": draws,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "targets": {tg.id: {"hits": int(h), "p_hit": list(wilson(int(h), draws))}
                    for tg, h in zip(spec.targets, hits)},
    }))
