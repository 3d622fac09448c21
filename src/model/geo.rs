//! Geometry on the Earth, in one place: longitude/latitude points, the one Earth radius, the
//! great-circle distance, and the local planar projection that snapping, siting, the maps and
//! the route sheets all use, so that every layer measures a distance the same way.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Metres per degree of latitude (and of longitude at the equator) on the sphere of
/// [`EARTH_RADIUS_M`]: about 111,195 m.
pub const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// A point on the Earth, WGS84 decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct LonLat {
    /// Longitude, -180 to 180.
    pub lon: f64,
    /// Latitude, -90 to 90.
    pub lat: f64,
}

impl LonLat {
    /// The point `(lon, lat)`.
    pub const fn new(lon: f64, lat: f64) -> LonLat {
        LonLat { lon, lat }
    }

    /// Finite and within -180..=180 and -90..=90.
    pub fn is_valid(self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }

    /// Great-circle distance to `other`, metres ([`haversine_m`]).
    pub fn distance_m(self, other: LonLat) -> f64 {
        haversine_m(self, other)
    }

    /// As a `(lon, lat)` pair.
    pub fn pair(self) -> (f64, f64) {
        (self.lon, self.lat)
    }
}

impl From<(f64, f64)> for LonLat {
    fn from((lon, lat): (f64, f64)) -> Self {
        LonLat { lon, lat }
    }
}

impl fmt::Display for LonLat {
    /// `lon,lat` with 5 decimals (about 1 m), as `--depot` takes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.5},{:.5}", self.lon, self.lat)
    }
}

/// Great-circle distance between two points on the sphere of [`EARTH_RADIUS_M`], metres
/// (haversine formula; within 0.5 % of the ellipsoid everywhere).
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A local planar projection in metres around a reference latitude (equirectangular:
/// `x = lon * k * cos(lat0)`, `y = lat * k`, `k` = [`METRES_PER_DEGREE`]). Distances in the
/// plane are within 0.5 % of the great circle within 50 km north or south of `lat0` at French
/// latitudes, enough for a territory; one projection is used for a whole territory so that
/// every layer agrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    lat0: f64,
    kx: f64,
}

impl Projection {
    /// The projection around latitude `lat0` (degrees).
    pub fn new(lat0: f64) -> Projection {
        Projection {
            lat0,
            kx: METRES_PER_DEGREE * lat0.to_radians().cos(),
        }
    }

    /// The projection around the mean latitude of `points` (the equator when there is none).
    pub fn around(points: impl IntoIterator<Item = LonLat>) -> Projection {
        let (mut sum, mut n) = (0.0, 0usize);
        for p in points {
            sum += p.lat;
            n += 1;
        }
        Projection::new(if n == 0 { 0.0 } else { sum / n as f64 })
    }

    /// The reference latitude.
    pub fn lat0(&self) -> f64 {
        self.lat0
    }

    /// Metres per degree of longitude at the reference latitude.
    pub fn metres_per_degree_lon(&self) -> f64 {
        self.kx
    }

    /// Planar coordinates `[x, y]` of a point, metres.
    pub fn to_xy(&self, p: LonLat) -> [f64; 2] {
        [p.lon * self.kx, p.lat * METRES_PER_DEGREE]
    }

    /// The point at planar coordinates `[x, y]`.
    pub fn to_lonlat(&self, xy: [f64; 2]) -> LonLat {
        LonLat {
            lon: xy[0] / self.kx,
            lat: xy[1] / METRES_PER_DEGREE,
        }
    }

    /// Planar distance between two points, metres.
    pub fn distance_m(&self, a: LonLat, b: LonLat) -> f64 {
        let (p, q) = (self.to_xy(a), self.to_xy(b));
        (p[0] - q[0]).hypot(p[1] - q[1])
    }
}

/// Area of the polygon with outer ring `ring` (closed or not), square metres, in the local
/// projection at the ring's mean latitude (shoelace formula; exact enough for a building).
pub fn ring_area_m2(ring: &[LonLat]) -> f64 {
    if ring.len() < 3 {
        return 0.0;
    }
    let proj = Projection::around(ring.iter().copied());
    let xy: Vec<[f64; 2]> = ring.iter().map(|&p| proj.to_xy(p)).collect();
    let twice: f64 = (0..xy.len())
        .map(|k| {
            let (a, b) = (xy[k], xy[(k + 1) % xy.len()]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    (twice / 2.0).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude() {
        let d = haversine_m(LonLat::new(2.0, 45.0), LonLat::new(2.0, 46.0));
        assert!((d - METRES_PER_DEGREE).abs() < 1e-6, "{d}");
        assert!((METRES_PER_DEGREE - 111_195.08).abs() < 0.01);
    }

    #[test]
    fn the_plane_agrees_with_the_great_circle_at_a_territory_scale() {
        let proj = Projection::new(45.0);
        let a = LonLat::new(2.0, 45.0);
        for (dlon, dlat) in [(0.3, 0.0), (0.0, 0.3), (0.25, -0.2), (-0.01, 0.004)] {
            let b = LonLat::new(a.lon + dlon, a.lat + dlat);
            let (plane, sphere) = (proj.distance_m(a, b), haversine_m(a, b));
            assert!(
                (plane - sphere).abs() / sphere < 0.005,
                "{plane} vs {sphere}"
            );
        }
        let b = proj.to_lonlat(proj.to_xy(LonLat::new(1.52, 42.51)));
        assert!((b.lon - 1.52).abs() < 1e-12 && (b.lat - 42.51).abs() < 1e-12);
        assert_eq!(Projection::around([]).lat0(), 0.0);
        let p = Projection::around([LonLat::new(0.0, 40.0), LonLat::new(1.0, 42.0)]);
        assert_eq!(p.lat0(), 41.0);
    }

    #[test]
    fn a_building_of_20_by_10_metres() {
        let proj = Projection::new(45.0);
        let o = proj.to_xy(LonLat::new(2.0, 45.0));
        let at = |dx: f64, dy: f64| proj.to_lonlat([o[0] + dx, o[1] + dy]);
        let ring = [
            at(0.0, 0.0),
            at(20.0, 0.0),
            at(20.0, 10.0),
            at(0.0, 10.0),
            at(0.0, 0.0),
        ];
        assert!(
            (ring_area_m2(&ring) - 200.0).abs() < 0.5,
            "{}",
            ring_area_m2(&ring)
        );
        assert_eq!(ring_area_m2(&ring[..2]), 0.0);
    }

    #[test]
    fn validity() {
        assert!(LonLat::new(1.5, 42.5).is_valid());
        assert!(!LonLat::new(200.0, 1.0).is_valid());
        assert!(!LonLat::new(f64::NAN, 1.0).is_valid());
        assert_eq!(LonLat::new(1.52, 42.51).to_string(), "1.52000,42.51000");
    }
}
