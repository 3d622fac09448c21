//! One pass over a `.osm.pbf` file.

use super::features::{Collector, Features};
use super::framing::{self, FramingError};
use super::Tags;
use crate::model::guard::quietly;
use geo::Coord;
use osmpbfreader::fileformat::Blob;
use osmpbfreader::{OsmObj, OsmPbfReader};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why an extract could not be read. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OsmError {
    /// The file does not exist.
    #[error("cannot find the OpenStreetMap extract {path}: check the path, or give another file with --osm FILE.osm.pbf")]
    NotFound { path: PathBuf },
    /// The file exists but cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{path} is empty: download the extract again")]
    Empty { path: PathBuf },
    /// The file is not in the PBF format.
    #[error("{path} is not an OpenStreetMap .osm.pbf file ({detail} at byte {offset}); tournee reads PBF extracts: convert an .osm XML file with `osmium cat FILE.osm -o FILE.osm.pbf`")]
    NotPbf {
        path: PathBuf,
        offset: usize,
        detail: String,
    },
    /// The file ends in the middle of a block.
    #[error("{path} is cut short: the block at byte {offset} needs {needed} more bytes but only {available} remain; the download was probably interrupted, download the extract again")]
    Truncated {
        path: PathBuf,
        offset: usize,
        needed: usize,
        available: usize,
    },
    /// A block could not be decoded.
    #[error(
        "{path} is damaged at block {block} (byte {offset}): it could not be decoded ({detail}); download the extract again"
    )]
    Decode {
        path: PathBuf,
        /// The data block, from 1.
        block: usize,
        /// Where it starts in the file.
        offset: usize,
        detail: String,
    },
}

/// A highway way as read from the extract.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmWay {
    /// OSM way id.
    pub id: i64,
    /// OSM node ids, in drawing order.
    pub nodes: Vec<i64>,
    /// All its tags.
    pub tags: Tags,
}

/// Counts and timings of a read.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct ReadStats {
    /// Bytes in the file.
    pub bytes: usize,
    /// Nodes in the file.
    pub nodes: usize,
    /// Ways in the file.
    pub ways: usize,
    /// Relations in the file.
    pub relations: usize,
    /// Ways with a `highway` tag.
    pub highway_ways: usize,
    /// Seconds spent decoding the file.
    pub parse_seconds: f64,
}

/// What tournee keeps of an extract.
#[derive(Clone, Debug, Default)]
pub struct OsmExtract {
    /// The file it came from (for messages).
    pub source: PathBuf,
    node_ids: Vec<i64>,
    node_coords: Vec<Coord<f64>>,
    /// Every way with a `highway` tag, sorted by id.
    pub highways: Vec<OsmWay>,
    /// Households, candidate sites, producers and post offices.
    pub features: Features,
    /// Counts and timings.
    pub stats: ReadStats,
}

impl OsmExtract {
    /// Builds an extract by hand (tests, fixtures): node `(id, lon, lat)` triples and highways.
    pub fn from_parts(source: &str, nodes: &[(i64, f64, f64)], highways: Vec<OsmWay>) -> Self {
        let mut nodes = nodes.to_vec();
        nodes.sort_by_key(|n| n.0);
        OsmExtract {
            source: source.into(),
            node_ids: nodes.iter().map(|n| n.0).collect(),
            node_coords: nodes.iter().map(|n| Coord { x: n.1, y: n.2 }).collect(),
            highways,
            ..Default::default()
        }
    }

    /// The location of an OSM node (`x` = longitude, `y` = latitude), if the extract has it.
    pub fn node(&self, id: i64) -> Option<Coord<f64>> {
        self.node_ids
            .binary_search(&id)
            .ok()
            .map(|i| self.node_coords[i])
    }

    /// Number of node locations kept.
    pub fn num_nodes(&self) -> usize {
        self.node_ids.len()
    }

    /// Bounding box of the node locations: `(lon_min, lat_min, lon_max, lat_max)`.
    pub fn bbox(&self) -> Option<(f64, f64, f64, f64)> {
        let first = self.node_coords.first()?;
        Some(
            self.node_coords
                .iter()
                .fold((first.x, first.y, first.x, first.y), |(a, b, c, d), p| {
                    (a.min(p.x), b.min(p.y), c.max(p.x), d.max(p.y))
                }),
        )
    }
}

/// Reads a `.osm.pbf` extract in one pass (decoding in parallel).
///
/// Keeps every node location (about 16 bytes per node), the highway ways, and the features.
/// The file's framing is checked before decoding, so that a truncated or foreign file gives an
/// [`OsmError`] that says so instead of a failure inside the decoder.
pub fn read_pbf(path: &Path) -> Result<OsmExtract, OsmError> {
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => OsmError::NotFound { path: path.into() },
        _ => OsmError::Io {
            path: path.into(),
            source,
        },
    })?;
    read_pbf_bytes(path, &bytes)
}

/// Reads the bytes of a `.osm.pbf` file; `path` names it in messages. Never panics, whatever
/// the bytes: a damaged block is an [`OsmError::Decode`] naming the block.
pub fn read_pbf_bytes(path: &Path, bytes: &[u8]) -> Result<OsmExtract, OsmError> {
    let blocks = framing::check(bytes).map_err(|e| match e {
        FramingError::Empty => OsmError::Empty { path: path.into() },
        FramingError::NotPbf { offset, detail } => OsmError::NotPbf {
            path: path.into(),
            offset,
            detail,
        },
        FramingError::Truncated {
            offset,
            needed,
            available,
        } => OsmError::Truncated {
            path: path.into(),
            offset,
            needed,
            available,
        },
    })?;
    let start = Instant::now();
    let mut extract = decode(bytes).map_err(|e| OsmError::Decode {
        path: path.into(),
        block: e.block + 1,
        offset: blocks.get(e.block).copied().unwrap_or(0),
        detail: e.detail,
    })?;
    extract.source = path.into();
    extract.stats.bytes = bytes.len();
    extract.stats.parse_seconds = start.elapsed().as_secs_f64();
    Ok(extract)
}

/// A data block the decoder could not read: its number from 0, and why.
struct BlockError {
    block: usize,
    detail: String,
}

/// Data blocks decoded at once, in parallel, before their objects are used in file order: enough
/// to keep the cores busy, few enough that their objects take little memory.
const CHUNK: usize = 64;

/// The objects of data block `k`, decoded by osmpbfreader inside [`quietly`]: a damaged block
/// (a string index past its table, say) makes the decoder panic, which becomes an error naming
/// the block, with nothing printed.
fn block_objects(k: usize, blob: osmpbfreader::Result<Blob>) -> Result<Vec<OsmObj>, BlockError> {
    let fail = |detail: String| BlockError { block: k, detail };
    let blob = blob.map_err(|e| fail(e.to_string()))?;
    quietly(|| {
        let block = osmpbfreader::primitive_block_from_blob(&blob)?;
        Ok(osmpbfreader::blocks::iter(&block).collect())
    })
    .map_err(|_panic| fail("its contents contradict each other".into()))?
    .map_err(|e: osmpbfreader::Error| fail(e.to_string()))
}

fn decode(bytes: &[u8]) -> Result<OsmExtract, BlockError> {
    let mut reader = OsmPbfReader::new(std::io::Cursor::new(bytes));
    let mut blobs = reader.blobs().enumerate();
    let mut nodes: Vec<(i64, i32, i32)> = Vec::new();
    let mut highways = Vec::new();
    let mut collector = Collector::default();
    let mut stats = ReadStats::default();
    loop {
        let chunk: Vec<_> = blobs.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let decoded: Vec<_> = chunk
            .into_par_iter()
            .map(|(k, blob)| block_objects(k, blob))
            .collect();
        for objects in decoded {
            for obj in objects? {
                use_object(obj, &mut nodes, &mut highways, &mut collector, &mut stats);
            }
        }
    }
    finish(nodes, highways, collector, stats)
}

/// Keeps what tournee needs of one object.
fn use_object(
    obj: OsmObj,
    nodes: &mut Vec<(i64, i32, i32)>,
    highways: &mut Vec<OsmWay>,
    collector: &mut Collector,
    stats: &mut ReadStats,
) {
    match obj {
        OsmObj::Node(n) => {
            stats.nodes += 1;
            nodes.push((n.id.0, n.decimicro_lon, n.decimicro_lat));
            if !n.tags.is_empty() {
                collector.node(n.id.0, n.lon(), n.lat(), &n.tags);
            }
        }
        OsmObj::Way(w) => {
            stats.ways += 1;
            let ids = || w.nodes.iter().map(|n| n.0).collect::<Vec<_>>();
            if w.tags.contains_key("highway") {
                highways.push(OsmWay {
                    id: w.id.0,
                    nodes: ids(),
                    tags: Tags::from_osm(&w.tags, |_| true),
                });
            }
            collector.way(w.id.0, &w.tags, ids);
        }
        OsmObj::Relation(r) => {
            stats.relations += 1;
            collector.relation(&r);
        }
    }
}

/// The extract from the objects kept.
fn finish(
    mut nodes: Vec<(i64, i32, i32)>,
    mut highways: Vec<OsmWay>,
    collector: Collector,
    mut stats: ReadStats,
) -> Result<OsmExtract, BlockError> {
    if !nodes.is_sorted_by_key(|n| n.0) {
        nodes.sort_unstable_by_key(|n| n.0);
    }
    highways.sort_unstable_by_key(|w: &OsmWay| w.id);
    stats.highway_ways = highways.len();
    let mut extract = OsmExtract {
        source: PathBuf::new(),
        node_ids: nodes.iter().map(|n| n.0).collect(),
        node_coords: nodes
            .iter()
            .map(|n| Coord {
                x: n.1 as f64 * 1e-7,
                y: n.2 as f64 * 1e-7,
            })
            .collect(),
        highways,
        features: Features::default(),
        stats,
    };
    extract.features = collector.finish(&|n| extract.node(n));
    Ok(extract)
}
