#!/usr/bin/env python3
"""Prints the criterion results of `cargo bench` as the tables in BENCHMARKS.md.

Usage: python3 benches/summary.py [target/criterion]

Reads every `<id>/new/estimates.json` (median point estimates) under the criterion
directory and derives the ratios from numbers of the same run: draw kernel ÷ rng
floor, 2-thread ÷ 1-thread throughput, per-cell cost from the scaling sizes, the small
examples' kernel ÷ floor and engine draws/s, ns per cell-year of the large model.
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")
res = {}
for d, _, files in os.walk(root):
    if os.path.basename(d) == "new" and "estimates.json" in files:
        bench = json.load(open(os.path.join(d, "benchmark.json")))
        est = json.load(open(os.path.join(d, "estimates.json")))
        elements = (bench.get("throughput") or {}).get("Elements", 1)
        res[bench["full_id"]] = (est["median"]["point_estimate"], elements)
if not res:
    sys.exit(f"no criterion results under {root}: run `cargo bench` first")


def per_element(key):
    ns, n = res[key]
    return ns / n


def fmt_ns(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


print("| benchmark | median | per element | elements/s |")
print("|---|---:|---:|---:|")
for key in sorted(res):
    ns, n = res[key]
    print(f"| `{key}` | {fmt_ns(ns)} | {fmt_ns(ns / n)} | {1e9 * n / ns:,.0f} |")

floor = "rng_floor/national_2011_2015"
print()
if floor in res:
    f = per_element(floor)
    print(f"rng_floor (national): {fmt_ns(f)} per draw")
    for key in sorted(k for k in res if k.startswith("draw_kernel/")):
        print(f"- `{key}`: {fmt_ns(per_element(key))} per draw = {per_element(key) / f:.2f} × rng_floor")
for draws in (10000, 100000):
    one = f"run/national_2011_2015/1_threads/{draws}"
    two = f"run/national_2011_2015/2_threads/{draws}"
    if one in res and two in res:
        print(f"- run {draws} draws: {fmt_ns(per_element(one))}/draw on 1 thread, {fmt_ns(per_element(two))}/draw on 2 threads: speed-up {per_element(one) / per_element(two):.2f}×")
sizes = {}
for key in res:
    if key.startswith("scaling/"):
        r, s, y = key.split("/")[1].rstrip("y").split("x")
        sizes[(int(r), int(s), int(y))] = per_element(key)
if (1, 5, 5) in sizes and (31, 20, 5) in sizes:
    slope = (sizes[(31, 20, 5)] - sizes[(1, 5, 5)]) / (31 * 20 - 1 * 5)
    print(f"- scaling: {fmt_ns(slope)} per region×sector cell per draw (5 years) = {fmt_ns(slope / 5)} per cell-year, from 1×5 → 31×20")
    for (r, s, y), t in sorted(sizes.items()):
        print(f"  - {r}×{s}×{y}y: {fmt_ns(t)}/draw, {t / (r * s * y):.1f} ns per cell-year")
for name in ("small_simple", "small_correlated"):
    floor_key, kernel_key, engine_key = (f"small/{name}/{x}" for x in ("floor", "kernel", "engine"))
    if floor_key in res and kernel_key in res:
        f, k = per_element(floor_key), per_element(kernel_key)
        line = f"- {name}: floor {fmt_ns(f)}/draw, kernel {fmt_ns(k)}/draw = {k / f:.2f} × floor"
        if engine_key in res:
            e = per_element(engine_key)
            line += f", engine (1 thread) {fmt_ns(e)}/draw = {1e3 / e:.2f} M draws/s"
        print(line)
for key in sorted(k for k in res if k.startswith("large/")):
    print(f"- `{key}`: {per_element(key):.2f} ns per cell-year")
