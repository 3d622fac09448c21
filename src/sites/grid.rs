//! The open sites in a uniform grid, to find the sites nearest a site without scanning them
//! all: the region search asks that question for every region it looks at, most of them only
//! to find the region unchanged (on 3,000 points and 600 sites, scanning every site took half
//! of the search's time).

/// Slots (open sites) bucketed by the cell of their position.
pub struct SlotGrid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<u32>>,
    /// Cell and position of each slot.
    at: Vec<(usize, [f64; 2])>,
}

impl SlotGrid {
    /// A grid of about one slot per cell over the box of `xy` (every candidate's position, so
    /// that a slot may move anywhere), with `slots[s]` the position of slot `s`.
    pub fn new(xy: &[[f64; 2]], slots: &[[f64; 2]]) -> SlotGrid {
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in xy.iter().chain(slots) {
            for d in 0..2 {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        let (w, h) = ((hi[0] - lo[0]).max(1e-9), (hi[1] - lo[1]).max(1e-9));
        let cell = (w * h / slots.len().max(1) as f64).sqrt().max(1e-9);
        let nx = ((w / cell) as usize + 1).min(4096);
        let ny = ((h / cell) as usize + 1).min(4096);
        let cell = (w / nx as f64).max(h / ny as f64).max(1e-9) * (1.0 + 1e-9);
        let mut g = SlotGrid {
            x0: lo[0],
            y0: lo[1],
            cell,
            nx,
            ny,
            cells: vec![Vec::new(); nx * ny],
            at: Vec::with_capacity(slots.len()),
        };
        for (s, &p) in slots.iter().enumerate() {
            let c = g.cell_of(p);
            g.cells[c].push(s as u32);
            g.at.push((c, p));
        }
        g
    }

    fn coords(&self, p: [f64; 2]) -> (usize, usize) {
        let cx = (((p[0] - self.x0) / self.cell).max(0.0) as usize).min(self.nx - 1);
        let cy = (((p[1] - self.y0) / self.cell).max(0.0) as usize).min(self.ny - 1);
        (cx, cy)
    }

    fn cell_of(&self, p: [f64; 2]) -> usize {
        let (cx, cy) = self.coords(p);
        cy * self.nx + cx
    }

    /// Slot `s` is now at `p`.
    pub fn moved(&mut self, s: usize, p: [f64; 2]) {
        let (old, _) = self.at[s];
        let new = self.cell_of(p);
        if old != new {
            let v = &mut self.cells[old];
            let k = v
                .iter()
                .position(|&t| t as usize == s)
                .expect("slot in its cell");
            v.swap_remove(k);
            self.cells[new].push(s as u32);
        }
        self.at[s] = (new, p);
    }

    /// The `w` slots nearest slot `s` (itself first), nearest first, ties to the lower slot:
    /// the same answer as sorting every slot by distance.
    pub fn nearest(&self, s: usize, w: usize) -> Vec<usize> {
        let w = w.min(self.at.len());
        let q = self.at[s].1;
        let (cx, cy) = self.coords(q);
        let mut found: Vec<(f64, usize)> = Vec::new();
        for r in 0.. {
            // Cells of ring r around (cx, cy).
            let (x_lo, x_hi) = (cx as i64 - r, cx as i64 + r);
            let (y_lo, y_hi) = (cy as i64 - r, cy as i64 + r);
            if x_lo < 0 && y_lo < 0 && x_hi >= self.nx as i64 && y_hi >= self.ny as i64 {
                break;
            }
            for y in y_lo..=y_hi {
                if y < 0 || y >= self.ny as i64 {
                    continue;
                }
                let step = if y == y_lo || y == y_hi {
                    1
                } else {
                    (x_hi - x_lo).max(1)
                };
                let mut x = x_lo;
                while x <= x_hi {
                    if x >= 0 && x < self.nx as i64 {
                        for &t in &self.cells[y as usize * self.nx + x as usize] {
                            let p = self.at[t as usize].1;
                            let d = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
                            found.push((d, t as usize));
                        }
                    }
                    x += step;
                }
            }
            // Anything beyond ring r is at least r cells away.
            if found.len() >= w {
                found.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let reach = r as f64 * self.cell;
                if found[w - 1].0 < reach * reach {
                    break;
                }
            }
        }
        found.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        found.truncate(w);
        found.into_iter().map(|x| x.1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    fn brute(slots: &[[f64; 2]], s: usize, w: usize) -> Vec<usize> {
        let q = slots[s];
        let mut v: Vec<(f64, usize)> = slots
            .iter()
            .enumerate()
            .map(|(t, p)| ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2), t))
            .collect();
        v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v.into_iter().take(w).map(|x| x.1).collect()
    }

    #[test]
    fn nearest_matches_a_full_scan_as_slots_move() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(3);
        // Clustered positions, a few duplicates.
        let xy: Vec<[f64; 2]> = (0..400)
            .map(|k| {
                let c = (k % 5) as f64 * 300.0;
                [
                    c + rng.random::<f64>() * 50.0,
                    rng.random::<f64>() * 80.0 + c / 3.0,
                ]
            })
            .collect();
        let mut slots: Vec<[f64; 2]> = xy.iter().step_by(7).copied().collect();
        slots.push(slots[0]);
        let mut g = SlotGrid::new(&xy, &slots);
        for round in 0..200 {
            let s = rng.random_range(0..slots.len());
            let w = 1 + round % 9;
            assert_eq!(g.nearest(s, w), brute(&slots, s, w), "slot {s}, w {w}");
            let p = xy[rng.random_range(0..xy.len())];
            slots[s] = p;
            g.moved(s, p);
        }
    }
}
