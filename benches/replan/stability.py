#!/usr/bin/env python3
"""Re-plan stability (issue 25): how many sites keep their id, number and place.

    stability.py edit BEFORE/sites/sites.csv EDIT.csv   # forbid the 10th regular site, fix the 40th
    tournee plan --sites EDIT.csv --out AFTER
    stability.py compare BEFORE/sites/sites.csv AFTER/sites/sites.csv [FORBIDDEN_ID...]
"""
import csv
import sys


def rows(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def edit(src, dst):
    table = rows(src)
    regular = [r for r in table if r.get("kind", "site") == "site"]
    regular[9]["status"] = "forbidden"
    regular[39]["status"] = "fixed"
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(table[0].keys()))
        w.writeheader()
        w.writerows(table)
    print(regular[9]["site_id"], regular[39]["site_id"])


def compare(before, after, skip):
    a = {r["site_id"]: r for r in rows(before)}
    b = {r["site_id"]: r for r in rows(after)}
    kept = same = 0
    for k, r in a.items():
        if k in skip:
            continue
        kept += 1
        s = b.get(k)
        if (
            s
            and s["status"] != "forbidden"
            and s["label"] == r["label"]
            and abs(float(s["lon"]) - float(r["lon"])) < 1e-5
            and abs(float(s["lat"]) - float(r["lat"])) < 1e-5
        ):
            same += 1
    print(f"{same}/{kept} sites keep id, number and place ({100 * same / kept:.1f} %)")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "edit":
        edit(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], set(sys.argv[4:]))
    else:
        sys.exit(__doc__)
