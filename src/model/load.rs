//! Multi-dimensional loads: kilograms, crates, parcels... up to [`MAX_DIMS`] at once.

use serde::{Deserialize, Serialize};
use std::ops::{Add, AddAssign, Sub, SubAssign};

/// Most load dimensions a problem may have.
pub const MAX_DIMS: usize = 4;

/// An amount per dimension. Unused dimensions are zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Load(pub [i64; MAX_DIMS]);

impl Load {
    /// Nothing.
    pub const ZERO: Load = Load([0; MAX_DIMS]);

    /// A load from the first dimensions (the rest zero). Extra values beyond [`MAX_DIMS`] are an
    /// error the validation reports before this is called.
    pub fn from_slice(values: &[i64]) -> Load {
        let mut l = [0; MAX_DIMS];
        for (d, v) in values.iter().take(MAX_DIMS).enumerate() {
            l[d] = *v;
        }
        Load(l)
    }

    /// A one-dimensional load.
    pub const fn single(v: i64) -> Load {
        Load([v, 0, 0, 0])
    }

    /// `true` if every dimension is at most `capacity`'s.
    #[inline]
    pub fn fits(&self, capacity: &Load) -> bool {
        self.0.iter().zip(&capacity.0).all(|(a, c)| a <= c)
    }

    /// Dimension-wise maximum.
    #[inline]
    pub fn max(&self, other: &Load) -> Load {
        let mut l = self.0;
        for (a, b) in l.iter_mut().zip(&other.0) {
            *a = (*a).max(*b);
        }
        Load(l)
    }

    /// `true` if every dimension is zero.
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&v| v == 0)
    }

    /// `true` if some dimension is negative.
    pub fn any_negative(&self) -> bool {
        self.0.iter().any(|&v| v < 0)
    }

    /// The first `dims` values.
    pub fn dims(&self, dims: usize) -> &[i64] {
        &self.0[..dims.min(MAX_DIMS)]
    }
}

impl Add for Load {
    type Output = Load;
    #[inline]
    fn add(mut self, rhs: Load) -> Load {
        self += rhs;
        self
    }
}

impl AddAssign for Load {
    #[inline]
    fn add_assign(&mut self, rhs: Load) {
        for (a, b) in self.0.iter_mut().zip(&rhs.0) {
            *a += b;
        }
    }
}

impl Sub for Load {
    type Output = Load;
    #[inline]
    fn sub(mut self, rhs: Load) -> Load {
        self -= rhs;
        self
    }
}

impl SubAssign for Load {
    #[inline]
    fn sub_assign(&mut self, rhs: Load) {
        for (a, b) in self.0.iter_mut().zip(&rhs.0) {
            *a -= b;
        }
    }
}
