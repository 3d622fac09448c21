#!/usr/bin/env python3
# Repeat visits and sites served by several vans in plan folders (issue 13):
#   python3 benches/visits.py OUT_DIR [OUT_DIR...]
# A repeat visit is a van coming back to a place it already visited that day (a site by its
# "Conciergerie N" name, a farm by its coordinates).
import csv, glob, os, re, sys
for d in sys.argv[1:]:
    vans = {}
    stops = repeat = 0
    km = 0.0
    for f in sorted(glob.glob(os.path.join(d, "routes", "van-*.csv"))):
        seen = set()
        rows = list(csv.DictReader(open(f)))
        for r in rows:
            km += float(r["km_from_previous"])
            if r["action"] in ("start", "end"): continue
            site = r["name"].startswith("Conciergerie"); key = r["name"].split(" (")[0] if site else (r["lon"], r["lat"])
            stops += 1
            if key in seen: repeat += 1
            seen.add(key)
            if site:
                vans.setdefault(key, set()).add(f)
    two = sum(1 for v in vans.values() if len(v) > 1)
    summ = open(os.path.join(d, "summary.txt")).read()
    m = re.search(r"rounds: (\d+) van.*?, ([\d.]+) km, ([\d.]+) h, (\d+) stops", summ)
    print(f"{d}: vans {m.group(1)}, {m.group(2)} km, {m.group(3)} h, {stops} stops, repeat visits {repeat}, sites {len(vans)}, sites by 2+ vans {two}")
