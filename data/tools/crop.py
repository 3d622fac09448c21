"""Crops an .osm.pbf to a bounding box, keeping every way with a node inside it whole
(all its nodes, even outside) and every relation with a kept member.

Usage: python crop.py IN.osm.pbf OUT.osm.pbf LON_MIN LAT_MIN LON_MAX LAT_MAX
Needs pyosmium (`pip install osmium`)."""
import sys
import osmium

src, dst = sys.argv[1], sys.argv[2]
x0, y0, x1, y1 = map(float, sys.argv[3:7])

class Inside(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.nodes = set()
    def node(self, n):
        if n.location.valid() and x0 <= n.location.lon <= x1 and y0 <= n.location.lat <= y1:
            self.nodes.add(n.id)

class Ways(osmium.SimpleHandler):
    def __init__(self, inside):
        super().__init__()
        self.inside, self.ways, self.need = inside, set(), set()
    def way(self, w):
        ids = [n.ref for n in w.nodes]
        if any(i in self.inside for i in ids):
            self.ways.add(w.id)
            self.need.update(ids)

class Relations(osmium.SimpleHandler):
    def __init__(self, nodes, ways):
        super().__init__()
        self.nodes, self.ways, self.rels = nodes, ways, set()
    def relation(self, r):
        for m in r.members:
            if (m.type == 'n' and m.ref in self.nodes) or (m.type == 'w' and m.ref in self.ways):
                self.rels.add(r.id)
                return

a = Inside(); a.apply_file(src)
b = Ways(a.nodes); b.apply_file(src)
nodes = a.nodes | b.need
c = Relations(nodes, b.ways); c.apply_file(src)

class Write(osmium.SimpleHandler):
    def __init__(self, w):
        super().__init__()
        self.w = w
    def node(self, n):
        if n.id in nodes: self.w.add_node(n)
    def way(self, w):
        if w.id in b.ways: self.w.add_way(w)
    def relation(self, r):
        if r.id in c.rels: self.w.add_relation(r)

h = osmium.header.Header() if hasattr(osmium, 'header') else None
writer = osmium.SimpleWriter(dst)
Write(writer).apply_file(src)
writer.close()
print(f"{len(nodes)} nodes, {len(b.ways)} ways, {len(c.rels)} relations")
