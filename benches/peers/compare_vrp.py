#!/usr/bin/env python3
"""Side-by-side quality table: tournee (`tournee bench vrp ... --csv T.csv`) against the peers
(`../shared/tools/peers/run.sh` JSON lines), same instances, same budget.

    python3 benches/peers/compare_vrp.py T.csv PEERS.jsonl

Gaps: tournee's come from its own CSV (cost against bks.csv: distance-only best known for CVRP
and Solomon, real-valued distance against the vehicles-first best known for Li & Lim); the
peers' from their `gap_pct` (distance best known) or, for Li & Lim, their real-valued cost
against the same hierarchical best known, so that every column of a row compares like with like.
"""

import csv
import json
import statistics
import sys

tournee = {r["instance"]: r for r in csv.DictReader(open(sys.argv[1]))}
peers = {}
for path in sys.argv[2:]:
    for line in open(path):
        if not line.strip():
            continue
        r = json.loads(line)
        if "superseded" in r or "error" in r or r.get("run") == "pyvrp-extra-seed":
            continue
        peers.setdefault(r["instance"], {})[r["solver"]] = r

solvers = ["pyvrp", "vroom", "ortools"]


def peer_gap(r, kind_bks):
    if not r or not r.get("feasible"):
        return None
    if r.get("kind") == "pdptw" or r["instance"].lower().startswith("l"):
        if r.get("cost_real") and kind_bks:
            return 100.0 * (r["cost_real"] - kind_bks) / kind_bks
    return r.get("gap_pct")


print("| instance | n | best known | tournee | tournee gap % | " + " | ".join(f"{s} gap %" for s in solvers) + " |")
print("|---|---|---|---|---|" + "---|" * len(solvers))
gaps = {s: [] for s in ["tournee"] + solvers}
for name in sorted(tournee, key=lambda n: (len(n), n)):
    t = tournee[name]
    bks = float(t["best_known"]) if t["best_known"] not in ("", "-") else None
    row = [name, t["n"], t["best_known"], t["cost"], t["gap_percent"]]
    if t["gap_percent"] not in ("", "-"):
        gaps["tournee"].append(float(t["gap_percent"]))
    for s in solvers:
        g = peer_gap(peers.get(name, {}).get(s), bks)
        row.append("-" if g is None else f"{g:.2f}")
        if g is not None:
            gaps[s].append(g)
    print("| " + " | ".join(row) + " |")
print()
print("| solver | instances | mean gap % | median gap % |")
print("|---|---|---|---|")
for s, g in gaps.items():
    if g:
        print(f"| {s} | {len(g)} | {statistics.mean(g):.2f} | {statistics.median(g):.2f} |")
