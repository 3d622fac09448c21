//! Integer units.
//!
//! The road graph measures edges in [`Millis`] (travel time) and [`Centimetres`] (length):
//! fine enough that summing thousands of rounded edges stays exact to the metre and the second,
//! small enough that a `u32` holds any path in a French département (49 days, 42,949 km).
//! Matrices and user-facing outputs use whole [`Seconds`] and [`Metres`], rounded to nearest.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign};

macro_rules! unit {
    ($(#[$doc:meta])* $name:ident, $suffix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The zero value.
            pub const ZERO: Self = Self(0);
            /// The raw integer value.
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl Add for $name {
            type Output = Self;
            fn add(self, rhs: Self) -> Self {
                Self(self.0.saturating_add(rhs.0))
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: Self) {
                *self = *self + rhs;
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.0, $suffix)
            }
        }
    };
}

unit!(
    /// A travel time in milliseconds (road-graph edges).
    Millis,
    "ms"
);
unit!(
    /// A length in centimetres (road-graph edges).
    Centimetres,
    "cm"
);
unit!(
    /// A duration in whole seconds (matrices, routes).
    Seconds,
    "s"
);
unit!(
    /// A distance in whole metres (matrices, routes).
    Metres,
    "m"
);

impl Millis {
    /// Rounds to the nearest second.
    pub const fn to_seconds(self) -> Seconds {
        Seconds(((self.0 as u64 + 500) / 1000) as u32)
    }
}

impl Centimetres {
    /// Rounds to the nearest metre.
    pub const fn to_metres(self) -> Metres {
        Metres(((self.0 as u64 + 50) / 100) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_user_units_is_to_nearest() {
        assert_eq!(Millis(1499).to_seconds(), Seconds(1));
        assert_eq!(Millis(1500).to_seconds(), Seconds(2));
        assert_eq!(Centimetres(149).to_metres(), Metres(1));
        assert_eq!(Centimetres(u32::MAX).to_metres(), Metres(42_949_673));
    }

    #[test]
    fn addition_saturates_instead_of_wrapping() {
        assert_eq!(Millis(u32::MAX) + Millis(1), Millis(u32::MAX));
    }
}

macro_rules! measure {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// Zero.
            pub const ZERO: Self = Self(0);
            /// Larger than any value a problem produces.
            pub const MAX: Self = Self(i64::MAX / 4);
            /// The raw value.
            #[inline]
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl Add for $name {
            type Output = Self;
            #[inline]
            fn add(self, rhs: Self) -> Self {
                Self(self.0 + rhs.0)
            }
        }

        impl AddAssign for $name {
            #[inline]
            fn add_assign(&mut self, rhs: Self) {
                self.0 += rhs.0;
            }
        }

        impl std::ops::Sub for $name {
            type Output = Self;
            #[inline]
            fn sub(self, rhs: Self) -> Self {
                Self(self.0 - rhs.0)
            }
        }

        impl std::ops::SubAssign for $name {
            #[inline]
            fn sub_assign(&mut self, rhs: Self) {
                self.0 -= rhs.0;
            }
        }

        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                Self(iter.map(|x| x.0).sum())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

measure!(
    /// A time of day or a duration in a routing problem's time unit: seconds for real problems,
    /// tenths of a unit for the DIMACS benchmark convention (see [`crate::model::Problem::scale`]).
    Time
);
measure!(
    /// A distance in a routing problem's distance unit: metres for real problems, tenths of a unit
    /// for DIMACS benchmarks, whole units for CVRPLIB.
    Dist
);
measure!(
    /// A cost in the problem's cost unit (see [`crate::model::Costs`]).
    Cost
);
