//! Households, candidate sites, producers and post offices found in an extract.
//!
//! Rules (documented in the README too):
//! - **Households.** A building tagged `house`, `detached`, `semidetached_house`, `terrace`,
//!   `bungalow`, `residential`, `apartments` or `farm` is a dwelling. A building tagged `yes` is one
//!   when it lies inside a `landuse=residential` area or carries a street address, and no
//!   shop, amenity, office, craft or tourism tag. An address point (a node with
//!   `addr:housenumber` and none of those tags) that is not inside a counted building is a
//!   dwelling too. Its weight, the number of foyers, is `building:flats` when tagged, otherwise
//!   estimated from the building's type, footprint and levels ([`super::dwellings`]).
//! - **Candidate sites.** `amenity=townhall|post_office|school|community_centre|library` and any
//!   `shop`, as nodes or areas (at their centroid).
//! - **Producers.** `shop=farm`, `craft=cheese|winery|brewery|distillery|beekeeper|cider|dairy`,
//!   and `landuse=farmyard` or `place=farm` that say they are one (a `name`, or `produce` for a
//!   farmyard): the yards of a farm without either are not producers.
//! - **Post offices.** `amenity=post_office`.

use super::communes::{BoundaryRelation, Commune};
use super::dwellings::{estimate, FoyersRule};
use crate::model::geo::{ring_area_m2, LonLat};
use geo::{Centroid, Contains, Coord, LineString, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use serde::Serialize;
use std::fmt;

/// The OSM object a feature comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsmRef {
    /// A node.
    Node(i64),
    /// A way (an area: its centroid is used).
    Way(i64),
}

impl fmt::Display for OsmRef {
    /// `node/123` or `way/456`, as in openstreetmap.org addresses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OsmRef::Node(id) => write!(f, "node/{id}"),
            OsmRef::Way(id) => write!(f, "way/{id}"),
        }
    }
}

impl Serialize for OsmRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A dwelling point: one or more foyers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Household {
    /// Where it comes from.
    pub osm: OsmRef,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Number of foyers (households) at this point.
    pub foyers: u32,
    /// How that number was found.
    pub foyers_rule: FoyersRule,
    /// The tag that made it a dwelling, e.g. `building=house` or `addr:housenumber`.
    pub source: String,
    /// Street address, when tagged.
    pub address: Option<String>,
}

/// A named place: a candidate site, a producer or a post office.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    /// Where it comes from.
    pub osm: OsmRef,
    /// The tag that selected it, e.g. `amenity=townhall`.
    pub kind: String,
    /// Its `name`, when tagged.
    pub name: Option<String>,
    /// Street address, when tagged.
    pub address: Option<String>,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
}

/// Everything the later stages need besides roads, each list sorted by OSM reference.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// Dwellings.
    pub households: Vec<Household>,
    /// Places that could host a conciergerie.
    pub candidates: Vec<Place>,
    /// Farms and craft producers.
    pub producers: Vec<Place>,
    /// Post offices.
    pub post_offices: Vec<Place>,
    /// Communes whose boundary the extract holds whole, by relation id.
    pub communes: Vec<Commune>,
}

impl Features {
    /// Total foyers over all households.
    pub fn total_foyers(&self) -> u64 {
        self.households.iter().map(|h| u64::from(h.foyers)).sum()
    }
}

const DWELLINGS: &[&str] = &[
    "house",
    "detached",
    "semidetached_house",
    "terrace",
    "bungalow",
    "residential",
    "apartments",
    "farm",
];
const SITE_AMENITIES: &[&str] = &[
    "townhall",
    "post_office",
    "school",
    "community_centre",
    "library",
];
const PRODUCER_CRAFTS: &[&str] = &[
    "cheese",
    "winery",
    "brewery",
    "distillery",
    "beekeeper",
    "cider",
    "dairy",
];
const NOT_A_HOME: &[&str] = &[
    "shop",
    "amenity",
    "office",
    "craft",
    "tourism",
    "leisure",
    "industrial",
];

/// Tags kept on feature objects.
fn keep_key(k: &str) -> bool {
    matches!(
        k,
        "name"
            | "produce"
            | "building"
            | "building:flats"
            | "building:levels"
            | "amenity"
            | "shop"
            | "craft"
            | "place"
            | "landuse"
            | "office"
            | "tourism"
            | "leisure"
            | "industrial"
    ) || k.starts_with("addr:")
}

#[derive(Clone, Debug)]
enum Geometry {
    Point(f64, f64),
    Way(Vec<i64>),
}

#[derive(Clone, Debug)]
struct Raw {
    osm: OsmRef,
    tags: super::Tags,
    geometry: Geometry,
}

/// Gathers feature candidates during the pass, resolves geometries afterwards.
#[derive(Default)]
pub(super) struct Collector {
    raws: Vec<Raw>,
    /// Outer member way ids of `landuse=residential` multipolygons.
    residential_members: Vec<i64>,
    /// Node lists of untagged ways and of boundary ways (possible relation members).
    member_ways: Vec<(i64, Vec<i64>)>,
    /// Commune-level boundary relations.
    boundaries: Vec<BoundaryRelation>,
}

fn is_interesting(tags: &osmpbfreader::Tags) -> bool {
    tags.contains_key("building")
        || tags.contains_key("addr:housenumber")
        || tags.contains_key("shop")
        || tags
            .get("amenity")
            .is_some_and(|v| SITE_AMENITIES.contains(&v.as_str()))
        || tags
            .get("craft")
            .is_some_and(|v| PRODUCER_CRAFTS.contains(&v.as_str()))
        || tags.contains("place", "farm")
        || tags.contains("landuse", "farmyard")
        || tags.contains("landuse", "residential")
}

impl Collector {
    pub(super) fn node(&mut self, id: i64, lon: f64, lat: f64, tags: &osmpbfreader::Tags) {
        if is_interesting(tags) {
            self.raws.push(Raw {
                osm: OsmRef::Node(id),
                tags: super::Tags::from_osm(tags, keep_key),
                geometry: Geometry::Point(lon, lat),
            });
        }
    }

    pub(super) fn way(
        &mut self,
        id: i64,
        tags: &osmpbfreader::Tags,
        nodes: impl FnOnce() -> Vec<i64>,
    ) {
        if is_interesting(tags) {
            self.raws.push(Raw {
                osm: OsmRef::Way(id),
                tags: super::Tags::from_osm(tags, keep_key),
                geometry: Geometry::Way(nodes()),
            });
        } else if tags.is_empty()
            || tags.keys().all(|k| k == "source" || k == "note")
            || tags.contains("boundary", "administrative")
        {
            self.member_ways.push((id, nodes()));
        }
    }

    pub(super) fn relation(&mut self, r: &osmpbfreader::Relation) {
        if let Some(b) = BoundaryRelation::from_osm(r) {
            self.boundaries.push(b);
            return;
        }
        if r.tags.contains("type", "multipolygon") && r.tags.contains("landuse", "residential") {
            self.residential_members.extend(
                r.refs
                    .iter()
                    .filter(|m| m.role == "outer")
                    .filter_map(|m| m.member.way())
                    .map(|w| w.0),
            );
        }
    }

    /// Resolves the features' geometries; `node` gives a node's location (`x` = longitude).
    pub(super) fn finish(mut self, node: &impl Fn(i64) -> Option<Coord<f64>>) -> Features {
        self.raws.sort_by_key(|r| r.osm);
        self.member_ways.sort_by_key(|w| w.0);
        let ring = |nodes: &[i64]| -> Option<LineString<f64>> {
            let pts: Option<Vec<Coord<f64>>> = nodes.iter().map(|&n| node(n)).collect();
            let pts = pts?;
            (pts.len() >= 4 && nodes.first() == nodes.last()).then(|| LineString::new(pts))
        };
        // Residential areas, from closed ways and multipolygon outer members.
        let mut residential: Vec<Polygon<f64>> = self
            .raws
            .iter()
            .filter(|r| r.tags.is("landuse", "residential"))
            .filter_map(|r| match &r.geometry {
                Geometry::Way(nodes) => ring(nodes).map(|l| Polygon::new(l, vec![])),
                Geometry::Point(..) => None,
            })
            .collect();
        for id in &self.residential_members {
            if let Ok(i) = self.member_ways.binary_search_by_key(id, |w| w.0) {
                if let Some(l) = ring(&self.member_ways[i].1) {
                    residential.push(Polygon::new(l, vec![]));
                }
            }
        }
        let member = |id: i64| {
            self.member_ways
                .binary_search_by_key(&id, |w| w.0)
                .ok()
                .map(|i| self.member_ways[i].1.clone())
        };
        self.boundaries.sort_by_key(|b| b.id);
        let communes: Vec<Commune> = self
            .boundaries
            .iter()
            .filter_map(|b| b.resolve(&member, node))
            .collect();
        let residential = PolygonIndex::new(residential);

        let mut features = Features::default();
        let mut dwelling_polygons = Vec::new();
        let mut address_points = Vec::new();
        for raw in &self.raws {
            let Some((lon, lat, polygon)) = locate(raw, node, &ring) else {
                continue;
            };
            let tags = &raw.tags;
            let place = |kind: String| Place {
                osm: raw.osm,
                kind,
                name: tags.get("name").map(str::to_string),
                address: address(tags),
                lon,
                lat,
            };
            if let Some(amenity) = tags.get("amenity").filter(|a| SITE_AMENITIES.contains(a)) {
                features
                    .candidates
                    .push(place(format!("amenity={amenity}")));
                if amenity == "post_office" {
                    features
                        .post_offices
                        .push(place(format!("amenity={amenity}")));
                }
            } else if let Some(shop) = tags.get("shop") {
                features.candidates.push(place(format!("shop={shop}")));
            }
            if tags.is("shop", "farm") {
                features.producers.push(place("shop=farm".into()));
            } else if tags.is("landuse", "farmyard")
                && (tags.get("name").is_some() || tags.get("produce").is_some())
            {
                // A farmyard is a producer when it says so (a name, what it produces); the
                // yards of a farm without them are not (five "Farm" stops within 300 m).
                features.producers.push(place("landuse=farmyard".into()));
            } else if tags.is("place", "farm") && tags.get("name").is_some() {
                features.producers.push(place("place=farm".into()));
            } else if let Some(craft) = tags.get("craft").filter(|c| PRODUCER_CRAFTS.contains(c)) {
                features.producers.push(place(format!("craft={craft}")));
            }

            let not_a_home = NOT_A_HOME.iter().any(|k| tags.get(k).is_some());
            let has_address = tags.get("addr:housenumber").is_some();
            let footprint = polygon.as_ref().map(|p| {
                let ring: Vec<LonLat> = p
                    .exterior()
                    .coords()
                    .map(|c| LonLat::new(c.x, c.y))
                    .collect();
                ring_area_m2(&ring)
            });
            let (foyers, foyers_rule) = estimate(
                tags.get("building"),
                tags.get("building:flats"),
                tags.get("building:levels"),
                footprint,
            );
            let household = |source: String| Household {
                osm: raw.osm,
                lon,
                lat,
                foyers,
                foyers_rule,
                source,
                address: address(tags),
            };
            match tags.get("building") {
                Some(b) if DWELLINGS.contains(&b) && !not_a_home => {
                    features.households.push(household(format!("building={b}")));
                    dwelling_polygons.extend(polygon);
                }
                Some("yes") if !not_a_home && (has_address || residential.contains(lon, lat)) => {
                    features.households.push(household("building=yes".into()));
                    dwelling_polygons.extend(polygon);
                }
                None if has_address
                    && !not_a_home
                    && matches!(raw.geometry, Geometry::Point(..)) =>
                {
                    address_points.push(household("addr:housenumber".into()));
                }
                _ => {}
            }
        }
        let buildings = PolygonIndex::new(dwelling_polygons);
        features.households.extend(
            address_points
                .into_iter()
                .filter(|h| !buildings.contains(h.lon, h.lat)),
        );
        features.households.sort_by_key(|h| h.osm);
        features.communes = communes;
        features
    }
}

/// A point for the feature: the node itself, or the centroid of the way (and its polygon if closed).
fn locate(
    raw: &Raw,
    node: &impl Fn(i64) -> Option<Coord<f64>>,
    ring: &impl Fn(&[i64]) -> Option<LineString<f64>>,
) -> Option<(f64, f64, Option<Polygon<f64>>)> {
    match &raw.geometry {
        Geometry::Point(lon, lat) => Some((*lon, *lat, None)),
        Geometry::Way(nodes) => {
            if let Some(l) = ring(nodes) {
                let poly = Polygon::new(l, vec![]);
                let c = poly.centroid()?;
                Some((c.x(), c.y(), Some(poly)))
            } else {
                let pts: Vec<Coord<f64>> = nodes.iter().filter_map(|&n| node(n)).collect();
                if pts.is_empty() {
                    return None;
                }
                let n = pts.len() as f64;
                Some((
                    pts.iter().map(|p| p.x).sum::<f64>() / n,
                    pts.iter().map(|p| p.y).sum::<f64>() / n,
                    None,
                ))
            }
        }
    }
}

fn address(tags: &super::Tags) -> Option<String> {
    let number = tags.get("addr:housenumber");
    let street = tags.get("addr:street").or_else(|| tags.get("addr:place"));
    let city = tags.get("addr:city");
    let postcode = tags.get("addr:postcode");
    let line1 = match (number, street) {
        (Some(n), Some(s)) => Some(format!("{n} {s}")),
        (None, Some(s)) => Some(s.to_string()),
        (Some(n), None) => Some(n.to_string()),
        (None, None) => None,
    };
    let line2 = match (postcode, city) {
        (Some(p), Some(c)) => Some(format!("{p} {c}")),
        (p, c) => p.or(c).map(str::to_string),
    };
    match (line1, line2) {
        (Some(a), Some(b)) => Some(format!("{a}, {b}")),
        (a, b) => a.or(b),
    }
}

/// Polygons with an R-tree on their bounding boxes, for point-in-polygon tests.
struct PolygonIndex {
    polygons: Vec<Polygon<f64>>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl PolygonIndex {
    fn new(polygons: Vec<Polygon<f64>>) -> Self {
        use geo::BoundingRect;
        let boxes = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let r = p.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        PolygonIndex {
            polygons,
            tree: RTree::bulk_load(boxes),
        }
    }

    fn contains(&self, lon: f64, lat: f64) -> bool {
        let p = Point::new(lon, lat);
        self.tree
            .locate_in_envelope_intersecting(AABB::from_point([lon, lat]))
            .any(|g| self.polygons[g.data].contains(&p))
    }
}
