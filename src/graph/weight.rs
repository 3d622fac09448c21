//! The weight that every shortest-path routine minimises.

use crate::model::{Centimetres, Millis};
use std::ops::Add;

/// Travel time and length of a path, ordered lexicographically: time first, then length.
///
/// Both are packed into one `u64` (milliseconds in the high 32 bits, centimetres in the low 32
/// bits), so that adding two weights adds both components and comparing two weights compares time
/// and breaks ties on length. Minimising this weight gives the fastest path and, among equally
/// fast paths, the shortest one: the distance reported along the fastest path is therefore
/// well defined, and every exact method (Dijkstra, contraction hierarchies) returns the same one.
///
/// The packing is exact while a path is shorter than 42,949 km and faster than 49 days, which
/// holds for any road path inside a country-sized extract.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Weight(pub u64);

impl Weight {
    /// The weight of an unreachable target.
    pub const INFINITY: Weight = Weight(u64::MAX);
    /// The empty path.
    pub const ZERO: Weight = Weight(0);

    /// Packs a travel time and a length.
    pub const fn new(time: Millis, length: Centimetres) -> Self {
        Weight(((time.0 as u64) << 32) | length.0 as u64)
    }

    /// The travel time component.
    pub const fn time(self) -> Millis {
        Millis((self.0 >> 32) as u32)
    }

    /// The length component.
    pub const fn length(self) -> Centimetres {
        Centimetres(self.0 as u32)
    }

    /// `false` for [`Weight::INFINITY`].
    pub const fn is_finite(self) -> bool {
        self.0 != u64::MAX
    }
}

impl Add for Weight {
    type Output = Weight;
    /// Adds both components; anything plus infinity is infinity.
    #[inline]
    fn add(self, rhs: Weight) -> Weight {
        Weight(self.0.saturating_add(rhs.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_orders_time_before_length() {
        let a = Weight::new(Millis(1000), Centimetres(900));
        let b = Weight::new(Millis(1001), Centimetres(1));
        assert!(a < b);
        assert_eq!(a.time(), Millis(1000));
        assert_eq!(a.length(), Centimetres(900));
        let s = a + b;
        assert_eq!(s.time(), Millis(2001));
        assert_eq!(s.length(), Centimetres(901));
        assert_eq!(Weight::INFINITY + a, Weight::INFINITY);
    }
}
