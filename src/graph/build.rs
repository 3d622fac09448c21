//! From OSM highway ways to a [`RoadGraph`].

use super::road::{Arc, NodeIdx, RoadGraph, Segment};
use super::scc::largest_component;
use super::Weight;
use crate::model::geo::{haversine_m, LonLat};
use crate::model::{Centimetres, Millis};
use crate::osm::{CarOptions, OsmExtract, Profile, DEAD_END_S, JUNCTION_S};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

/// Why no graph could be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Nothing in the extract can be used with this profile.
    #[error("{path} has no road usable on {profile} ({highways} highway ways in the file): check that the extract covers the territory, or try another profile")]
    NoRoads {
        path: PathBuf,
        profile: &'static str,
        highways: usize,
    },
}

/// Options of [`build_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// Car profile options.
    pub car: CarOptions,
    /// Keep every node instead of only the largest strongly connected component.
    pub keep_all_components: bool,
}

/// What [`build`] did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BuildReport {
    /// `car` or `foot`.
    pub profile: String,
    /// Highway ways usable with the profile.
    pub ways_used: usize,
    /// Way segments skipped because a node lies outside the extract.
    pub segments_outside: usize,
    /// Nodes before keeping the largest component.
    pub total_nodes: usize,
    /// Arcs before keeping the largest component.
    pub total_arcs: usize,
    /// Strongly connected components found.
    pub components: usize,
    /// Nodes kept.
    pub kept_nodes: usize,
    /// Arcs kept.
    pub kept_arcs: usize,
    /// Nodes dropped: on roads from which the rest cannot be reached, or the other way round.
    pub dropped_nodes: usize,
    /// Seconds spent building.
    pub build_seconds: f64,
}

/// Builds the road graph of `extract` for `profile`, keeping its largest strongly connected component.
///
/// Every node of a usable way becomes a graph node; each pair of consecutive nodes gives a segment
/// whose length is the haversine distance and whose travel time follows from the profile's speed.
pub fn build(
    extract: &OsmExtract,
    profile: Profile,
) -> Result<(RoadGraph, BuildReport), BuildError> {
    build_with(extract, profile, BuildOptions::default())
}

/// [`build`] with options.
pub fn build_with(
    extract: &OsmExtract,
    profile: Profile,
    opts: BuildOptions,
) -> Result<(RoadGraph, BuildReport), BuildError> {
    let start = Instant::now();
    let mut report = BuildReport {
        profile: profile.name().into(),
        ..Default::default()
    };
    let mut index: HashMap<i64, NodeIdx> = HashMap::new();
    let mut osm_ids = Vec::new();
    let mut coords = Vec::new();
    let mut arcs = Vec::new();
    let mut segments = Vec::new();
    for way in &extract.highways {
        let Some(rule) = profile.rule(&way.tags, opts.car) else {
            continue;
        };
        report.ways_used += 1;
        for pair in way.nodes.windows(2) {
            let (Some(ca), Some(cb)) = (extract.node(pair[0]), extract.node(pair[1])) else {
                report.segments_outside += 1;
                continue;
            };
            let mut idx = |id: i64, c| {
                *index.entry(id).or_insert_with(|| {
                    osm_ids.push(id);
                    coords.push(c);
                    (osm_ids.len() - 1) as NodeIdx
                })
            };
            let (a, b) = (idx(pair[0], ca), idx(pair[1], cb));
            let metres = haversine_m(LonLat::new(ca.x, ca.y), LonLat::new(cb.x, cb.y));
            let weight = |kmh: f64| {
                let ms = metres / (kmh / 3.6) * 1000.0;
                Weight::new(
                    Millis(ms.round() as u32),
                    Centimetres((metres * 100.0).round() as u32),
                )
            };
            let forward = rule.forward_kmh.map(weight);
            let backward = rule.backward_kmh.map(weight);
            if let Some(w) = forward {
                arcs.push(Arc {
                    from: a,
                    to: b,
                    weight: w,
                });
            }
            if let Some(w) = backward {
                arcs.push(Arc {
                    from: b,
                    to: a,
                    weight: w,
                });
            }
            segments.push(Segment {
                a,
                b,
                forward,
                backward,
                way: way.id,
            });
        }
    }
    if profile == Profile::Car && !opts.car.posted {
        add_junction_time(coords.len(), &mut arcs, &mut segments);
    }
    report.total_nodes = coords.len();
    report.total_arcs = arcs.len();
    if arcs.is_empty() {
        return Err(BuildError::NoRoads {
            path: extract.source.clone(),
            profile: profile.name(),
            highways: extract.highways.len(),
        });
    }
    let (keep, components) = if opts.keep_all_components {
        (vec![true; coords.len()], 0)
    } else {
        largest_component(coords.len(), arcs.iter().map(|a| (a.from, a.to)))
    };
    report.components = components;
    // Renumber the kept nodes densely, in their first-seen order.
    let mut new_id = vec![NodeIdx::MAX; coords.len()];
    let mut next = 0;
    for (v, k) in keep.iter().enumerate() {
        if *k {
            new_id[v] = next;
            next += 1;
        }
    }
    let kept = |v: NodeIdx| new_id[v as usize] != NodeIdx::MAX;
    let arcs: Vec<Arc> = arcs
        .into_iter()
        .filter(|a| kept(a.from) && kept(a.to))
        .map(|a| Arc {
            from: new_id[a.from as usize],
            to: new_id[a.to as usize],
            weight: a.weight,
        })
        .collect();
    let segments = segments
        .into_iter()
        .filter(|s| kept(s.a) && kept(s.b))
        .map(|s| Segment {
            a: new_id[s.a as usize],
            b: new_id[s.b as usize],
            ..s
        })
        .collect();
    let coords: Vec<_> = coords
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(x, _)| x)
        .collect();
    let osm_ids: Vec<_> = osm_ids
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(x, _)| x)
        .collect();
    report.kept_nodes = coords.len();
    report.kept_arcs = arcs.len();
    report.dropped_nodes = report.total_nodes - report.kept_nodes;
    let graph = RoadGraph::from_parts(profile, coords, osm_ids, arcs, segments);
    report.build_seconds = start.elapsed().as_secs_f64();
    Ok((graph, report))
}

/// The rural speed model's time lost at nodes: [`JUNCTION_S`] on every arc entering a node
/// where three roads or more meet, [`DEAD_END_S`] on every arc entering a dead end (a node with
/// one neighbour, where the van turns round); on the arcs and on the segments alike.
fn add_junction_time(nodes: usize, arcs: &mut [Arc], segments: &mut [Segment]) {
    let mut neighbours: Vec<Vec<NodeIdx>> = vec![Vec::new(); nodes];
    for a in arcs.iter() {
        for (x, y) in [(a.from, a.to), (a.to, a.from)] {
            let n = &mut neighbours[x as usize];
            if !n.contains(&y) {
                n.push(y);
            }
        }
    }
    let extra = |v: NodeIdx| match neighbours[v as usize].len() {
        1 => (DEAD_END_S * 1000.0) as u32,
        d if d >= 3 => (JUNCTION_S * 1000.0) as u32,
        _ => 0,
    };
    let slower = |w: Weight, v: NodeIdx| {
        Weight::new(Millis(w.time().0.saturating_add(extra(v))), w.length())
    };
    for a in arcs.iter_mut() {
        a.weight = slower(a.weight, a.to);
    }
    for s in segments.iter_mut() {
        s.forward = s.forward.map(|w| slower(w, s.b));
        s.backward = s.backward.map(|w| slower(w, s.a));
    }
}
