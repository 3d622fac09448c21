"""tournee and PyVRP side by side on PyVRP's VRPLIB-dialect instances (multi-depot VRPTW,
multi-trip VRPTW with release times), same time budget, one thread each, one after the other,
in the same sitting.

    python compare_vrplib.py DIR --time 10 --tournee target/release/tournee [--round exact|dimacs] [--seed 1] [--out rows.jsonl]

For each `DIR/*.vrp`: PyVRP 0.14 reads it (`round_func`: `exact` for MDVRPTW, `dimacs` for
MTVRPTWR, the best knowns' conventions; see ../shared/data/benchmarks/SOURCES.md)
and solves it for `--time` seconds (`MaxRuntime`); tournee solves it (`solve --time-limit`)
and writes its `.sol`, which PyVRP's own `read_solution` reads back: PyVRP then says whether
tournee's routes are feasible and complete and what they cost, so both costs are measured by
the same code. The best known is the `Cost:` of `DIR/NAME.sol`. Prints a Markdown table, the
mean and median gaps, and (with `--out`) one JSON line per instance.

Needs PyVRP 0.14.1 (`python -m venv ~/.cache/pyvrp-venv && ~/.cache/pyvrp-venv/bin/pip install
pyvrp==0.14.1`).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from pyvrp import read, read_solution, solve  # noqa: E402
from pyvrp.stop import MaxRuntime  # noqa: E402


def best_known(vrp: Path):
    sol = vrp.with_suffix(".sol")
    if not sol.exists():
        return None
    for line in sol.read_text().splitlines():
        m = re.match(r"\s*Cost:?\s*([0-9.]+)", line)
        if m:
            return float(m.group(1))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tournee", default="target/release/tournee")
    ap.add_argument("--out")
    ap.add_argument("--round", default="exact", choices=["exact", "dimacs"])
    a = ap.parse_args()
    files = sorted(Path(a.dir).glob("*.vrp"))
    rows = []
    print(f"| instance | best known | PyVRP | gap % | tournee | gap % | tournee feasible (PyVRP) |")
    print("|---|---|---|---|---|---|---|")
    for f in files:
        data = read(f, round_func=a.round)
        bks = best_known(f)
        t0 = time.perf_counter()
        res = solve(data, stop=MaxRuntime(a.time), seed=a.seed, display=False)
        py_s = time.perf_counter() - t0
        py = res.best
        py_cost = py.distance() if py.is_feasible() else None
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "t.sol"
            t0 = time.perf_counter()
            run = subprocess.run(
                [a.tournee, "solve", str(f), "--time-limit", str(a.time), "--seed", str(a.seed),
                 "--threads", "1", "--out", str(out)],
                capture_output=True, text=True)
            t_s = time.perf_counter() - t0
            if run.returncode not in (0, 3) or not out.exists():
                print(f"tournee failed on {f.name}: {run.stderr}", file=sys.stderr)
                t_cost, feasible, complete = None, False, False
            else:
                mine = read_solution(out, data)
                feasible, complete = mine.is_feasible(), mine.is_complete()
                t_cost = mine.distance() if feasible and complete else None
        gap = lambda c: None if (c is None or bks is None) else 100.0 * (c - bks) / bks
        row = dict(instance=f.stem, bks=bks, pyvrp=py_cost, pyvrp_gap=gap(py_cost),
                   pyvrp_seconds=py_s, tournee=t_cost, tournee_gap=gap(t_cost),
                   tournee_seconds=t_s, tournee_feasible=feasible and complete)
        rows.append(row)
        fmt = lambda v, d=2: "-" if v is None else (f"{v:.{d}f}" if isinstance(v, float) else str(v))
        print(f"| {f.stem} | {fmt(bks, 0)} | {fmt(py_cost, 0)} | {fmt(row['pyvrp_gap'])} | "
              f"{fmt(t_cost, 0)} | {fmt(row['tournee_gap'])} | {feasible and complete} |", flush=True)
    for who in ("pyvrp", "tournee"):
        g = [r[f"{who}_gap"] for r in rows if r[f"{who}_gap"] is not None]
        if g:
            print(f"{who}: mean gap {statistics.mean(g):.2f} %, median {statistics.median(g):.2f} % "
                  f"over {len(g)} instances")
    if a.out:
        with open(a.out, "w") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
