//! One-to-one query: a forward upward search from the sources and a backward upward search from
//! the targets, interleaved by smallest key, meeting at the top of the shortest path.

use super::search::{with_scratch, Upward};
use super::ContractionHierarchy;
use crate::graph::{NodeIdx, Weight};

/// See [`ContractionHierarchy::query`].
///
/// Every node settled in one direction is tested against the other direction's label: both are
/// weights of real paths, so `best` is always achievable, and the top node of a shortest up-down
/// path is settled (never stalled) in both directions with exact labels. A direction stops once
/// its smallest key reaches `best`: no node it has yet to settle can do better.
pub(super) fn query(
    ch: &ContractionHierarchy,
    sources: &[(NodeIdx, Weight)],
    targets: &[(NodeIdx, Weight)],
) -> Weight {
    let (sources, targets) = (ch.ranked(sources), ch.ranked(targets));
    let n = ch.num_nodes();
    with_scratch(|scratch| {
        let mut forward = Upward::new(&ch.up, &ch.down, &mut scratch.forward, n, &sources);
        let mut backward = Upward::new(&ch.down, &ch.up, &mut scratch.backward, n, &targets);
        let mut best = Weight::INFINITY;
        loop {
            let f = forward.min_key().filter(|&k| k < best);
            let b = backward.min_key().filter(|&k| k < best);
            let go_forward = match (f, b) {
                (None, None) => return best,
                (Some(f), Some(b)) => f <= b,
                (f, _) => f.is_some(),
            };
            if go_forward {
                if let Some((v, d)) = forward.next() {
                    best = best.min(d + backward.labels().get(v));
                }
            } else if let Some((v, d)) = backward.next() {
                best = best.min(d + forward.labels().get(v));
            }
        }
    })
}
