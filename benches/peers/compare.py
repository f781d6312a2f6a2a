"""Runs planrisk, the NumPy peer and the OpenTURNS peer on the example scenarios, one
after another on the current core, and prints for each scenario and implementation
P(hit) per target with its 95% interval, whether the implementations agree, and draws
per second per core. Called by run.sh, which sets up the environment and pins the core.

Timing (see README.md):
- "wall": draws per second of elapsed time while drawing — planrisk's engine
  (`sim::run`: sampler, pilot, kernel, accumulators, merges; the `draws_per_second` of
  its manifest.json), the peers' loop over blocks of draws (sampling, simulation,
  counting hits). Start-up, reading the scenario, compiling the OpenTURNS function and
  writing results are outside.
- "CPU": the same in CPU time, which another process on the core does not inflate: the
  peers' loop in `time.process_time`; planrisk's marginal cost, (N − n₀) draws over the
  difference in the CPU time of a run of N and a run of n₀ = `--base-draws` draws
  (start-up, pilot, summary and output cancel out).
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
import resource
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
    """Runs `cmd`; returns its output, wall time and CPU time (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, wall, cpu


def planrisk_cmd(binary, path, draws, seed, out_dir):
    return [binary, "run", path, "--draws", str(draws), "--seed", str(seed),
            "--threads", "1", "--no-charts", "--quiet", "--out", out_dir]


def run_planrisk(binary, path, draws, base_draws, seed, out_dir):
    _, _, base_cpu = timed(planrisk_cmd(binary, path, base_draws, seed, out_dir))
    _, wall, cpu = timed(planrisk_cmd(binary, path, draws, seed, out_dir))
    with open(os.path.join(out_dir, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)
    targets = {t["id"]: {"hits": round(t["p_hit"] * summary["draws"]),
                         "p_hit": [t["p_hit"], *t["p_hit_ci95"]]}
               for t in summary["targets"] if t.get("p_hit") is not None}
    return {"wall_rate": manifest["draws_per_second"],
            "cpu_rate": (draws - base_draws) / max(cpu - base_cpu, 1e-9),
            "end_to_end": wall, "targets": targets}


def run_peer(script, path, draws, seed):
    out, wall, _ = timed([sys.executable, os.path.join(HERE, script), path,
                          "--draws", str(draws), "--seed", str(seed)])
    r = json.loads(out)
    return {"wall_rate": r["draws"] / r["seconds"], "cpu_rate": r["draws"] / r["cpu_seconds"],
            "end_to_end": wall, "targets": r["targets"]}


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
    ap.add_argument("--base-draws", type=int, default=200_000,
                    help="draws of the short planrisk run whose CPU time is subtracted")
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
                runs["planrisk"].append(
                    run_planrisk(a.planrisk, path, a.draws, a.base_draws, seed, tmp))
                runs["numpy"].append(run_peer("numpy_peer.py", path, a.draws, seed))
                runs["openturns"].append(run_peer("openturns_peer.py", path, a.draws, seed))
        results = {k: {m: statistics.median(r[m] for r in v)
                       for m in ("wall_rate", "cpu_rate", "end_to_end")}
                   | {"runs": v, "targets": v[0]["targets"]} for k, v in runs.items()}
        everything[name] = results
        print(f"\n{name} ({scenario.load(path).years} years, "
              f"{len(results['planrisk']['targets'])} targets)")
        print(f"  {'':<10} {'draws/s':>11} {'draws/s':>11} {'planrisk ÷ it':>15} "
              f"{'end-to-end':>10}  P(hit) [95% interval] per target")
        print(f"  {'':<10} {'wall':>11} {'CPU':>11} {'wall':>7} {'CPU':>7} {'wall':>10}")
        base = results["planrisk"]
        for impl, r in results.items():
            ps = "  ".join(f"{tid} {100 * p:.3f}% [{100 * lo:.3f}, {100 * hi:.3f}]"
                           for tid, (p, lo, hi) in ((t, v["p_hit"]) for t, v in r["targets"].items()))
            print(f"  {impl:<10} {r['wall_rate']:>11,.0f} {r['cpu_rate']:>11,.0f} "
                  f"{base['wall_rate'] / r['wall_rate']:>6.2f}× {base['cpu_rate'] / r['cpu_rate']:>6.2f}× "
                  f"{r['end_to_end']:>9.2f}s  {ps}")
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
