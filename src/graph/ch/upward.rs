//! The result of contraction: upward graphs in CSR, indexed by rank.

use crate::graph::Weight;

/// A static graph over ranks whose arcs all go from a lower to a higher rank.
///
/// Arcs of node `r` are `first[r]..first[r + 1]` in `head` and `weight`, sorted by head, so that
/// a search touching the top of the hierarchy reads nearby memory.
#[derive(Clone, Debug, Default)]
pub(super) struct UpGraph {
    first: Vec<u32>,
    head: Vec<u32>,
    weight: Vec<Weight>,
}

impl UpGraph {
    /// Builds the graph from the arcs of every rank in turn: `arcs_of_rank[first[r]..first[r+1]]`
    /// are the arcs of rank `r` as `(head rank, weight)`, in any order.
    pub(super) fn from_lists(first: Vec<u32>, mut arcs: Vec<(u32, Weight)>) -> Self {
        for r in 0..first.len().saturating_sub(1) {
            let s = &mut arcs[first[r] as usize..first[r + 1] as usize];
            s.sort_unstable();
            debug_assert!(s.iter().all(|&(h, _)| h as usize > r), "upward arcs only");
        }
        UpGraph {
            first,
            head: arcs.iter().map(|a| a.0).collect(),
            weight: arcs.iter().map(|a| a.1).collect(),
        }
    }

    /// Heads and weights of the arcs of rank `r`.
    #[inline]
    pub(super) fn arcs(&self, r: u32) -> (&[u32], &[Weight]) {
        let range = self.first[r as usize] as usize..self.first[r as usize + 1] as usize;
        (&self.head[range.clone()], &self.weight[range])
    }

    pub(super) fn memory_bytes(&self) -> usize {
        self.first.capacity() * std::mem::size_of::<u32>()
            + self.head.capacity() * std::mem::size_of::<u32>()
            + self.weight.capacity() * std::mem::size_of::<Weight>()
    }
}
