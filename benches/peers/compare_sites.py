#!/usr/bin/env python3
"""Side by side: `tournee sites` against the PyPI package `k-means-constrained` on real
households, with straight-line distances.

    python3 benches/peers/compare_sites.py HOUSEHOLDS.csv --osm EXTRACT.osm.pbf \
        [--min 40] [--max 60] [--sites P] [--time-limit S] [--sample N --seed 0] \
        [--tournee PATH] [--work DIR] [--json OUT.json]

HOUSEHOLDS.csv is any CSV with `id,lon,lat` columns (e.g. `households.csv` from `tournee
extract`); other columns, `foyers` included, are ignored. `k-means-constrained` (and numpy)
must be importable by the Python that runs this script (a venv:
`python3 -m venv V && V/bin/pip install k-means-constrained numpy`).

What is compared, and the choices made to keep it fair:

- The same points, the same number of groups `p` (default round(n / 50)) and the same size
  bounds (default 40 to 60). Every household counts once (a `foyers` column of 1s is written
  for tournee), so a group's size is its number of households for both methods.
- The same plane: both methods work on, and are scored in, the equirectangular projection
  tournee uses for `--distance straight`: x = lon * 111320 * cos(lat0), y = lat * 110540, lat0
  the mean latitude of the households. The score is recomputed here, in Python, from each
  method's assignment; tournee's own `distance_m` column is only cross-checked.
- The two methods do not solve the same problem. tournee solves a capacitated p-median: each
  group is served at one of its households (`--candidates-from households`) and the sum of
  household-to-site distances is minimised. k-means-constrained minimises the sum of *squared*
  distances to a free centroid. Its result is therefore scored twice:
  (a) distance of each household to its cluster's centroid: a point that need not be a
      household; this is favourable to k-means (no site has to exist there);
  (b) distance of each household to its cluster's medoid, the household of the cluster that
      minimises the cluster's total distance: what a conciergerie, hosted by a household,
      actually needs. The clusters are kept as they are (no reassignment afterwards).
- Neither method is tuned. tournee runs with its defaults (seed 1, 300 kicks) and the given
  `--time-limit`; k-means-constrained with its defaults (n_init=10, max_iter=300, n_jobs=1)
  and random_state=0.
- Time. k-means-constrained: wall and CPU time of `fit` alone (the medoids take milliseconds
  and are timed apart). tournee: wall time of the whole command, which includes starting the
  process, reading the OpenStreetMap extract (the CLI reads it even with `--households`) and
  computing a lower bound; the "solved in" time of tournee's summary is reported next to it.
  tournee's `sites` search is single-threaded; so is k-means-constrained with n_jobs=1
  (numpy may still use BLAS threads; their limits are left as found and recorded).
- k-means-constrained is run in a child process and stopped after `--kmc-timeout` seconds
  (default 900), which is then reported instead of a result.
"""

import argparse
import csv
import json
import math
import multiprocessing as mp
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def read_households(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        out.append((r["id"], float(r["lon"]), float(r["lat"])))
    return out


def project(households):
    lat0 = sum(h[2] for h in households) / len(households)
    c = math.cos(math.radians(lat0))
    return [(lon * 111_320.0 * c, lat * 110_540.0) for _, lon, lat in households]


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def sizes_check(labels, p, lo, hi):
    counts = Counter(labels)
    sizes = sorted(counts.values())
    ok = len(counts) == p and all(lo <= s <= hi for s in sizes)
    return ok, sizes


def medoid_total(xy, labels):
    """Total distance to each cluster's best member (the member minimising the cluster's sum)."""
    members = {}
    for i, l in enumerate(labels):
        members.setdefault(l, []).append(i)
    total = 0.0
    for idx in members.values():
        best = min(sum(dist(xy[j], xy[k]) for k in idx) for j in idx)
        total += best
    return total


# ---------------------------------------------------------------- tournee


def run_tournee(args, households, xy, work):
    hh_csv = work / "households-foyers1.csv"
    with open(hh_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "lon", "lat", "foyers"])
        for hid, lon, lat in households:
            w.writerow([hid, repr(lon), repr(lat), 1])
    out = work / f"tournee-t{args.time_limit:g}"
    cmd = [args.tournee, "sites"]
    if args.osm:
        cmd += ["--osm", args.osm]
    cmd += ["--households", str(hh_csv), "--candidates-from", "households",
            "--distance", "straight", "--min", str(args.min), "--max", str(args.max),
            "--sites", str(args.p), "--time-limit", f"{args.time_limit:g}", "--out", str(out)]
    print("$ " + " ".join(cmd), file=sys.stderr)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    (work / f"tournee-t{args.time_limit:g}.stderr").write_text(proc.stderr)
    if proc.returncode not in (0, 3):
        sys.exit(f"tournee failed (exit {proc.returncode}):\n{proc.stderr}")

    index = {h[0]: i for i, h in enumerate(households)}
    total = 0.0
    own_total = 0.0
    labels = []
    unassigned = 0
    with open(out / "assignment.csv", newline="") as f:
        for r in csv.DictReader(f):
            if not r["site_id"]:
                unassigned += 1
                continue
            i, j = index[r["household_id"]], index[r["site_id"]]
            total += dist(xy[i], xy[j])
            own_total += float(r["distance_m"])
            labels.append(r["site_id"])
    ok, sizes = sizes_check(labels, args.p, args.min, args.max)
    summary = (out / "summary.txt").read_text()
    m = re.search(r"solved in ([0-9.]+) s", summary)
    g = re.search(r"within (-?[0-9.]+) %", summary)
    b = re.search(r"lower bound (-?[0-9.]+) foyer-km", summary)
    return {
        "method": f"tournee sites (household sites, --time-limit {args.time_limit:g})",
        "n": len(households), "p": args.p,
        "total_km": total / 1000.0, "mean_m": total / max(1, len(labels)),
        "seconds": wall, "cpu_seconds": cpu,
        "solve_seconds": float(m.group(1)) if m else None,
        "lower_bound_km": float(b.group(1)) if b else None,
        "gap_to_bound_percent": float(g.group(1)) if g else None,
        "tournee_own_total_km": own_total / 1000.0,
        "sizes_ok": ok and unassigned == 0, "unassigned": unassigned,
        "sizes_min": min(sizes) if sizes else None, "sizes_max": max(sizes) if sizes else None,
        "exit_code": proc.returncode, "command": cmd,
    }


# ---------------------------------------------------------------- k-means-constrained


def _kmc_child(xy, p, lo, hi, queue):
    import numpy as np
    from k_means_constrained import KMeansConstrained

    x = np.asarray(xy, dtype=float)
    km = KMeansConstrained(n_clusters=p, size_min=lo, size_max=hi, random_state=0)
    t0, c0 = time.perf_counter(), time.process_time()
    km.fit(x)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    queue.put({
        "labels": [int(v) for v in km.labels_],
        "centers": [[float(a), float(b)] for a, b in km.cluster_centers_],
        "seconds": wall, "cpu_seconds": cpu, "inertia": float(km.inertia_),
    })


def run_kmc(args, households, xy):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_kmc_child, args=(xy, args.p, args.min, args.max, queue))
    t0 = time.perf_counter()
    child.start()
    res = None
    try:
        res = queue.get(timeout=args.kmc_timeout)
    except Exception:  # queue.Empty on time-out, or the child died
        pass
    child.join(timeout=5)
    if child.is_alive():
        child.kill()  # only the child this script started
        child.join()
    n = len(households)
    if res is None:
        waited = time.perf_counter() - t0
        row = {"n": n, "p": args.p, "total_km": None, "mean_m": None, "seconds": waited,
               "sizes_ok": None, "stopped": f"no result after {waited:.0f} s (--kmc-timeout {args.kmc_timeout:g})"}
        return [dict(row, method="k-means-constrained: centroid (not a household)"),
                dict(row, method="k-means-constrained: medoid (best household of cluster)")]
    labels, centers = res["labels"], res["centers"]
    ok, sizes = sizes_check(labels, args.p, args.min, args.max)
    centroid = sum(dist(xy[i], centers[l]) for i, l in enumerate(labels))
    t1 = time.perf_counter()
    medoid = medoid_total(xy, labels)
    medoid_s = time.perf_counter() - t1
    common = {"n": n, "p": args.p, "seconds": res["seconds"], "cpu_seconds": res["cpu_seconds"],
              "inertia_m2": res["inertia"], "sizes_ok": ok,
              "sizes_min": min(sizes), "sizes_max": max(sizes)}
    return [
        dict(common, method="k-means-constrained: centroid (not a household)",
             total_km=centroid / 1000.0, mean_m=centroid / n),
        dict(common, method="k-means-constrained: medoid (best household of cluster)",
             total_km=medoid / 1000.0, mean_m=medoid / n, medoid_seconds=medoid_s),
    ]


# ---------------------------------------------------------------- main


def versions():
    v = {"python": platform.python_version()}
    try:
        from importlib.metadata import version
        for pkg in ("k-means-constrained", "ortools", "numpy", "scipy"):
            try:
                v[pkg] = version(pkg)
            except Exception:
                v[pkg] = None
    except ImportError:
        pass
    v["blas_thread_env"] = {k: os.environ.get(k) for k in
                            ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return v


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("households", help="CSV with id,lon,lat columns")
    ap.add_argument("--osm", help="extract passed to tournee (its embedded default if omitted)")
    ap.add_argument("--min", type=int, default=40, help="fewest households per group (40)")
    ap.add_argument("--max", type=int, default=60, help="most households per group (60)")
    ap.add_argument("--sites", type=int, dest="p", help="number of groups (round(n / 50))")
    ap.add_argument("--time-limit", type=float, default=10.0, help="tournee's --time-limit (10)")
    ap.add_argument("--sample", type=int, help="use this many households, drawn at random")
    ap.add_argument("--seed", type=int, default=0, help="seed of the sample (0)")
    ap.add_argument("--tournee", default="tournee", help="tournee binary (tournee)")
    ap.add_argument("--work", help="folder for tournee's input and output (a temporary one)")
    ap.add_argument("--json", help="write the rows and versions as JSON here")
    ap.add_argument("--kmc-timeout", type=float, default=900.0,
                    help="stop k-means-constrained after this many seconds (900)")
    ap.add_argument("--skip-kmc", action="store_true", help="run tournee only")
    ap.add_argument("--skip-tournee", action="store_true", help="run k-means-constrained only")
    args = ap.parse_args()

    households = read_households(args.households)
    if args.sample and args.sample < len(households):
        keep = sorted(random.Random(args.seed).sample(range(len(households)), args.sample))
        households = [households[i] for i in keep]
    n = len(households)
    if args.p is None:
        args.p = max(1, round(n / 50))
    if not (args.min * args.p <= n <= args.max * args.p):
        sys.exit(f"{n} households cannot make {args.p} groups of {args.min} to {args.max}")
    xy = project(households)

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="compare-sites-"))
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "households-used.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "lon", "lat"])
        w.writerows([h[0], repr(h[1]), repr(h[2])] for h in households)

    rows = []
    if not args.skip_tournee:
        rows.append(run_tournee(args, households, xy, work))
    if not args.skip_kmc:
        rows += run_kmc(args, households, xy)

    print("| method | n | p | total distance to site (km) | mean m per household | seconds | sizes within bounds |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ok = "-" if r["sizes_ok"] is None else ("yes" if r["sizes_ok"] else "no")
        print(f"| {r['method']} | {r['n']} | {r['p']} | {fmt(r['total_km'], '.1f')} | "
              f"{fmt(r['mean_m'], '.1f')} | {fmt(r['seconds'], '.1f')} | {ok} |")
    for r in rows:
        extra = {k: v for k, v in r.items()
                 if k not in ("method", "n", "p", "total_km", "mean_m", "seconds", "sizes_ok", "command")}
        print(f"\n{r['method']}: " + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                           for k, v in extra.items()))
    info = {"households": args.households, "osm": args.osm, "sample": args.sample,
            "seed": args.seed, "min": args.min, "max": args.max, "p": args.p,
            "time_limit": args.time_limit, "work": str(work), "versions": versions(), "rows": rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
