"""Runs planrisk, the NumPy peer and the OpenTURNS peer on the example scenarios, one
after another on the current core, and prints for each scenario and implementation
P(hit) per target with its 95% interval, whether the implementations agree, and draws
per second per core. Called by run.sh, which sets up the environment and pins the core.

Timing (see README.md):
- "draws/s": the draws themselves — planrisk's engine (`sim::run`: sampler, pilot,
  kernel, accumulators; the `draws_per_second` of its manifest.json), the peers' loop
  over blocks of draws (sampling, simulation, counting hits). Start-up, reading the
  scenario, compiling the OpenTURNS function and writing results are outside.
- "end-to-end": the whole process from start to exit (planrisk: `run --no-charts`, which
  also summarises — quantiles, sensitivities, joint statistics — and writes JSON/CSV;
  the peers: interpreter start, imports, parsing, the draws).
Each implementation runs `--repeat` times, interleaved, and the median is reported; the
machine's load average is printed before and after, because it is shared.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import scenario

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = ["small_simple", "small_correlated"]


def timed(cmd):
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out, time.perf_counter() - start


def run_planrisk(binary, path, draws, seed, out_dir):
    _, wall = timed([binary, "run", path, "--draws", str(draws), "--seed", str(seed),
                     "--threads", "1", "--no-charts", "--quiet", "--out", out_dir])
    with open(os.path.join(out_dir, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)
    targets = {t["id"]: {"hits": round(t["p_hit"] * summary["draws"]),
                         "p_hit": [t["p_hit"], *t["p_hit_ci95"]]}
               for t in summary["targets"] if t.get("p_hit") is not None}
    return {"rate": manifest["draws_per_second"], "wall": wall, "targets": targets}


def run_peer(script, path, draws, seed):
    out, wall = timed([sys.executable, os.path.join(HERE, script), path,
                       "--draws", str(draws), "--seed", str(seed)])
    r = json.loads(out)
    return {"rate": r["draws"] / r["seconds"], "wall": wall, "targets": r["targets"]}


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def agreement(results, draws):
    """Pairwise checks per target: the 95% intervals overlap, and the difference in
    standard errors. Returns the printed lines and whether every pair agrees."""
    lines, ok = [], True
    names = list(results)
    for tid in results[names[0]]["targets"]:
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                pa, la, ha = results[a]["targets"][tid]["p_hit"]
                pb, lb, hb = results[b]["targets"][tid]["p_hit"]
                overlap = la <= hb and lb <= ha
                se = math.sqrt(pa * (1 - pa) / draws + pb * (1 - pb) / draws)
                z = (pa - pb) / se if se > 0 else 0.0
                ok &= overlap
                lines.append(f"    {tid:<24} {a} vs {b}: difference {100 * (pa - pb):+.3f} pp"
                             f" = {z:+.2f} se, intervals {'overlap' if overlap else 'DISJOINT'}")
    return lines, ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--planrisk", required=True, help="path of the planrisk binary")
    ap.add_argument("--draws", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="also write all measurements here")
    a = ap.parse_args()
    print(f"load average before: {load_average()}; {a.draws} draws per run, "
          f"{a.repeat} interleaved runs per implementation, median reported; "
          f"CPU affinity {sorted(os.sched_getaffinity(0))}")
    everything, all_agree = {}, True
    for name in EXAMPLES:
        path = os.path.join(ROOT, "scenarios", "examples", f"{name}.toml")
        seed = scenario.load(path).seed
        runs = {"planrisk": [], "numpy": [], "openturns": []}
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(a.repeat):
                runs["planrisk"].append(run_planrisk(a.planrisk, path, a.draws, seed, tmp))
                runs["numpy"].append(run_peer("numpy_peer.py", path, a.draws, seed))
                runs["openturns"].append(run_peer("openturns_peer.py", path, a.draws, seed))
        results = {k: {"rate": statistics.median(r["rate"] for r in v),
                       "wall": statistics.median(r["wall"] for r in v),
                       "rates": [r["rate"] for r in v],
                       "targets": v[0]["targets"]} for k, v in runs.items()}
        everything[name] = results
        print(f"\n{name} ({scenario.load(path).years} years, "
              f"{len(results['planrisk']['targets'])} targets)")
        print(f"  {'implementation':<12} {'draws/s':>12} {'planrisk ÷ it':>13} {'end-to-end':>11}"
              f"  P(hit) [95% interval] per target")
        base = results["planrisk"]["rate"]
        for impl, r in results.items():
            ps = "  ".join(f"{tid} {100 * p:.3f}% [{100 * lo:.3f}, {100 * hi:.3f}]"
                           for tid, (p, lo, hi) in ((t, v["p_hit"]) for t, v in r["targets"].items()))
            print(f"  {impl:<12} {r['rate']:>12,.0f} {base / r['rate']:>12.2f}× "
                  f"{r['wall']:>10.2f}s  {ps}")
        lines, ok = agreement(results, a.draws)
        all_agree &= ok
        print("  agreement (pairwise):")
        print("\n".join(lines))
    print(f"\nload average after: {load_average()}")
    print("all implementations agree within their 95% intervals" if all_agree
          else "DISAGREEMENT: some 95% intervals do not overlap")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(everything, f, indent=1)
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
