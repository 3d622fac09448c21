//! Bucket many-to-many (Knopp, Sanders, Schultes, Schulz and Wagner 2007).
//!
//! 1. A backward upward search from every target `j` leaves `(j, weight)` in the bucket of each
//!    node it settles (stalled nodes excepted).
//! 2. The buckets are laid out as one flat array sorted by node (counting sort, stable in target
//!    order, so the layout does not depend on scheduling).
//! 3. A forward upward search from each source `i` scans the bucket of every node `v` it settles:
//!    `row[j] = min(row[j], d_i(v) + d_j(v))`. The shortest path's top node is settled in both
//!    searches with exact weights, so every entry is exact.
//!
//! Both searches run in parallel with `rayon`; each row is written by one task only.

use super::search::{with_scratch, Upward};
use super::ContractionHierarchy;
use crate::graph::{NodeIdx, Weight};
use rayon::prelude::*;

/// Every target's `(target, weight)` entries, grouped by node.
struct Buckets {
    /// Entries of rank `r` are `first[r]..first[r + 1]`.
    first: Vec<u32>,
    target: Vec<u32>,
    weight: Vec<Weight>,
}

/// See [`ContractionHierarchy::many_to_many`].
pub(super) fn many_to_many(
    ch: &ContractionHierarchy,
    sources: &[Vec<(NodeIdx, Weight)>],
    targets: &[Vec<(NodeIdx, Weight)>],
) -> Vec<Weight> {
    let mut out = vec![Weight::INFINITY; sources.len() * targets.len()];
    if out.is_empty() {
        return out;
    }
    let buckets = fill_buckets(ch, targets);
    out.par_chunks_mut(targets.len())
        .zip(sources.par_iter())
        .for_each(|(row, seeds)| {
            let seeds = ch.ranked(seeds);
            with_scratch(|scratch| {
                let mut search = Upward::new(
                    &ch.up,
                    &ch.down,
                    &mut scratch.forward,
                    ch.num_nodes(),
                    &seeds,
                );
                while let Some((v, d)) = search.next() {
                    let range =
                        buckets.first[v as usize] as usize..buckets.first[v as usize + 1] as usize;
                    for (&j, &w) in buckets.target[range.clone()]
                        .iter()
                        .zip(&buckets.weight[range])
                    {
                        let cell = &mut row[j as usize];
                        *cell = (*cell).min(d + w);
                    }
                }
            });
        });
    out
}

/// Runs the backward searches and sorts their entries by node.
fn fill_buckets(ch: &ContractionHierarchy, targets: &[Vec<(NodeIdx, Weight)>]) -> Buckets {
    let n = ch.num_nodes();
    let spaces: Vec<Vec<(u32, Weight)>> = targets
        .par_iter()
        .map(|seeds| {
            let seeds = ch.ranked(seeds);
            with_scratch(|scratch| {
                let mut search = Upward::new(&ch.down, &ch.up, &mut scratch.backward, n, &seeds);
                std::iter::from_fn(|| search.next()).collect()
            })
        })
        .collect();

    let mut first = vec![0u32; n + 1];
    for space in &spaces {
        for &(v, _) in space {
            first[v as usize + 1] += 1;
        }
    }
    for r in 0..n {
        first[r + 1] += first[r];
    }
    let total = first[n] as usize;
    let mut next = first.clone();
    let (mut target, mut weight) = (vec![0u32; total], vec![Weight::ZERO; total]);
    for (j, space) in spaces.iter().enumerate() {
        for &(v, w) in space {
            let slot = &mut next[v as usize];
            target[*slot as usize] = j as u32;
            weight[*slot as usize] = w;
            *slot += 1;
        }
    }
    Buckets {
        first,
        target,
        weight,
    }
}
