//! Travel-time and distance matrices between points.

use super::ch::ContractionHierarchy;
use super::dijkstra;
use super::road::{NodeIdx, RoadGraph};
use super::snap::{SnapError, Snapped, Snapper, DEFAULT_MAX_SNAP_M};
use super::Weight;
use crate::model::{Metres, Seconds};
use std::collections::BTreeMap;

/// A square matrix of fastest-path weights between points, row = from, column = to.
///
/// Durations and distances are measured between the points' snapped positions on the road
/// network; the walk from a point to its road is reported by its [`Snapped::distance_m`].
/// A point that could not be snapped has no row nor column: every entry involving it is `None`.
#[derive(Clone, Debug)]
pub struct Matrix {
    size: usize,
    weights: Vec<Weight>,
    /// For each point, where it was snapped, or why it could not be.
    pub snaps: Vec<Result<Snapped, SnapError>>,
}

impl Matrix {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.size
    }

    /// `true` for a matrix of no points.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// Time and length of the fastest path from `i` to `j`, [`Weight::INFINITY`] if none.
    pub fn weight(&self, i: usize, j: usize) -> Weight {
        self.weights[i * self.size + j]
    }

    /// Travel time from `i` to `j` in whole seconds, `None` if unreachable.
    pub fn duration(&self, i: usize, j: usize) -> Option<Seconds> {
        let w = self.weight(i, j);
        w.is_finite().then(|| w.time().to_seconds())
    }

    /// Length of the fastest path from `i` to `j` in whole metres, `None` if unreachable.
    pub fn distance(&self, i: usize, j: usize) -> Option<Metres> {
        let w = self.weight(i, j);
        w.is_finite().then(|| w.length().to_metres())
    }

    /// Row `i` of durations.
    pub fn duration_row(&self, i: usize) -> Vec<Option<Seconds>> {
        (0..self.size).map(|j| self.duration(i, j)).collect()
    }

    /// Row `i` of distances.
    pub fn distance_row(&self, i: usize) -> Vec<Option<Metres>> {
        (0..self.size).map(|j| self.distance(i, j)).collect()
    }
}

/// A rectangular matrix of fastest-path weights, row = one of the `from` points, column = one
/// of the `to` points: what siting needs (households x candidate sites) without the square of
/// all the points. Same conventions as [`Matrix`].
#[derive(Clone, Debug)]
pub struct Rect {
    rows: usize,
    cols: usize,
    weights: Vec<Weight>,
    /// Where each `from` point was snapped, or why it could not be.
    pub from_snaps: Vec<Result<Snapped, SnapError>>,
    /// Where each `to` point was snapped, or why it could not be.
    pub to_snaps: Vec<Result<Snapped, SnapError>>,
}

impl Rect {
    /// Rows (`from` points).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns (`to` points).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Time and length of the fastest path from `i` to `j`, [`Weight::INFINITY`] if none.
    pub fn weight(&self, i: usize, j: usize) -> Weight {
        self.weights[i * self.cols + j]
    }

    /// Length of the fastest path from `i` to `j` in whole metres, `None` if unreachable.
    pub fn distance(&self, i: usize, j: usize) -> Option<Metres> {
        let w = self.weight(i, j);
        w.is_finite().then(|| w.length().to_metres())
    }
}

/// The snapping index and the contraction hierarchy of one graph: what a matrix needs besides
/// the graph itself.
struct Index {
    snapper: Snapper,
    ch: ContractionHierarchy,
}

impl Index {
    fn new(graph: &RoadGraph) -> Self {
        Index {
            snapper: Snapper::new(graph).with_max_distance(DEFAULT_MAX_SNAP_M),
            ch: ContractionHierarchy::new(graph),
        }
    }

    fn snap_all(&self, points: &[(f64, f64)]) -> Vec<Result<Snapped, SnapError>> {
        points
            .iter()
            .map(|&(lon, lat)| self.snapper.snap(lon, lat))
            .collect()
    }

    fn build(&self, graph: &RoadGraph, points: &[(f64, f64)]) -> Matrix {
        self.matrix(graph, points, |sources, targets| {
            self.ch.many_to_many(sources, targets)
        })
    }

    fn rectangle(&self, graph: &RoadGraph, from: &[(f64, f64)], to: &[(f64, f64)]) -> Rect {
        let (from_snaps, to_snaps) = (self.snap_all(from), self.snap_all(to));
        let ok = |snaps: &[Result<Snapped, SnapError>]| -> Vec<(usize, Snapped)> {
            snaps
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_ref().ok().map(|s| (i, *s)))
                .collect()
        };
        let (a, b) = (ok(&from_snaps), ok(&to_snaps));
        let sources: Vec<_> = a.iter().map(|(_, s)| s.source_seeds(graph)).collect();
        let targets: Vec<_> = b.iter().map(|(_, s)| s.target_seeds(graph)).collect();
        let inner = self.ch.many_to_many(&sources, &targets);
        let (rows, cols) = (from.len(), to.len());
        let mut weights = vec![Weight::INFINITY; rows * cols];
        for (x, (i, _)) in a.iter().enumerate() {
            for (y, (j, _)) in b.iter().enumerate() {
                weights[i * cols + j] = inner[x * b.len() + y];
            }
        }
        // Trips that stay on one segment never reach a node: add them.
        let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (j, s) in &b {
            by_segment.entry(s.segment).or_default().push(*j);
        }
        for (i, s) in &a {
            for &j in by_segment.get(&s.segment).into_iter().flatten() {
                if let Ok(t) = &to_snaps[j] {
                    if let Some(w) = s.direct(t, graph) {
                        let cell = &mut weights[i * cols + j];
                        *cell = (*cell).min(w);
                    }
                }
            }
        }
        Rect {
            rows,
            cols,
            weights,
            from_snaps,
            to_snaps,
        }
    }

    fn build_with_dijkstra(&self, graph: &RoadGraph, points: &[(f64, f64)]) -> Matrix {
        self.matrix(graph, points, |sources, targets| {
            let mut out = Vec::with_capacity(sources.len() * targets.len());
            for s in sources {
                let dist = dijkstra::one_to_all(graph, s);
                out.extend(targets.iter().map(|t| {
                    t.iter()
                        .map(|&(v, w)| dist[v as usize] + w)
                        .min()
                        .unwrap_or(Weight::INFINITY)
                }));
            }
            out
        })
    }

    fn matrix(
        &self,
        graph: &RoadGraph,
        points: &[(f64, f64)],
        core: impl FnOnce(&[Vec<(NodeIdx, Weight)>], &[Vec<(NodeIdx, Weight)>]) -> Vec<Weight>,
    ) -> Matrix {
        let n = points.len();
        let snaps = self.snap_all(points);
        let ok: Vec<(usize, Snapped)> = snaps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().ok().map(|s| (i, *s)))
            .collect();
        let sources: Vec<_> = ok.iter().map(|(_, s)| s.source_seeds(graph)).collect();
        let targets: Vec<_> = ok.iter().map(|(_, s)| s.target_seeds(graph)).collect();
        let inner = core(&sources, &targets);
        let k = ok.len();
        let mut weights = vec![Weight::INFINITY; n * n];
        for (a, (i, _)) in ok.iter().enumerate() {
            for (b, (j, _)) in ok.iter().enumerate() {
                weights[i * n + j] = inner[a * k + b];
            }
        }
        // Trips that stay on one segment never reach a node: add them.
        let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, s) in &ok {
            by_segment.entry(s.segment).or_default().push(*i);
        }
        for group in by_segment.values() {
            for &i in group {
                for &j in group {
                    let (Ok(a), Ok(b)) = (&snaps[i], &snaps[j]) else {
                        continue;
                    };
                    if let Some(w) = a.direct(b, graph) {
                        let cell = &mut weights[i * n + j];
                        *cell = (*cell).min(w);
                    }
                }
            }
        }
        Matrix {
            size: n,
            weights,
            snaps,
        }
    }
}

/// Computes matrices on a borrowed graph: snaps points, then runs the contraction hierarchy.
///
/// Building it costs one CH preprocessing (about 0.1 s on a 25,000-node rural graph); reuse it
/// for every matrix on the same graph. [`Network`] is the same, owning its graph.
pub struct MatrixBuilder<'g> {
    graph: &'g RoadGraph,
    index: Index,
}

impl<'g> MatrixBuilder<'g> {
    /// Indexes the graph for snapping and preprocesses its contraction hierarchy.
    pub fn new(graph: &'g RoadGraph) -> Self {
        MatrixBuilder {
            graph,
            index: Index::new(graph),
        }
    }

    /// Sets the snapping limit in metres.
    pub fn with_max_snap(mut self, metres: f64) -> Self {
        self.index.snapper = self.index.snapper.with_max_distance(metres);
        self
    }

    /// The snapper.
    pub fn snapper(&self) -> &Snapper {
        &self.index.snapper
    }

    /// The contraction hierarchy.
    pub fn hierarchy(&self) -> &ContractionHierarchy {
        &self.index.ch
    }

    /// Snaps every `(lon, lat)` point.
    pub fn snap_all(&self, points: &[(f64, f64)]) -> Vec<Result<Snapped, SnapError>> {
        self.index.snap_all(points)
    }

    /// The matrix between `(lon, lat)` points, by contraction hierarchies (parallel, exact).
    pub fn build(&self, points: &[(f64, f64)]) -> Matrix {
        self.index.build(self.graph, points)
    }

    /// The same matrix by one Dijkstra search per point: slow, obviously correct (the oracle).
    pub fn build_with_dijkstra(&self, points: &[(f64, f64)]) -> Matrix {
        self.index.build_with_dijkstra(self.graph, points)
    }

    /// The rectangular matrix from every `from` point to every `to` point.
    pub fn rectangle(&self, from: &[(f64, f64)], to: &[(f64, f64)]) -> Rect {
        self.index.rectangle(self.graph, from, to)
    }
}

/// A road graph with its snapping index and contraction hierarchy, owned: what a territory
/// keeps for each travel mode. The same queries as [`MatrixBuilder`]; the index is built on the
/// first query (or by [`Network::prepare`]), so a mode that is never queried costs only its
/// graph.
pub struct Network {
    graph: RoadGraph,
    index: std::sync::OnceLock<Index>,
}

impl Network {
    /// Takes `graph`; nothing is preprocessed yet.
    pub fn new(graph: RoadGraph) -> Self {
        Network {
            graph,
            index: std::sync::OnceLock::new(),
        }
    }

    /// Builds the snapping index and the contraction hierarchy now (the first query would).
    pub fn prepare(&self) {
        self.index();
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(&self.graph))
    }

    /// The graph.
    pub fn graph(&self) -> &RoadGraph {
        &self.graph
    }

    /// The snapper.
    pub fn snapper(&self) -> &Snapper {
        &self.index().snapper
    }

    /// The contraction hierarchy.
    pub fn hierarchy(&self) -> &ContractionHierarchy {
        &self.index().ch
    }

    /// Snaps every `(lon, lat)` point.
    pub fn snap_all(&self, points: &[(f64, f64)]) -> Vec<Result<Snapped, SnapError>> {
        self.index().snap_all(points)
    }

    /// The matrix between `(lon, lat)` points, by contraction hierarchies (parallel, exact).
    pub fn build(&self, points: &[(f64, f64)]) -> Matrix {
        self.index().build(&self.graph, points)
    }

    /// The rectangular matrix from every `from` point to every `to` point (parallel, exact;
    /// memory `|from| x |to|`, not the square of all the points).
    pub fn rectangle(&self, from: &[(f64, f64)], to: &[(f64, f64)]) -> Rect {
        self.index().rectangle(&self.graph, from, to)
    }
}
