//! Dense indices into a routing problem, as newtypes so that a job index is never used as a
//! location index.

use serde::{Deserialize, Serialize};

macro_rules! index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// As a `usize`, to index a slice.
            #[inline]
            pub const fn ix(self) -> usize {
                self.0 as usize
            }
        }

        impl From<usize> for $name {
            #[inline]
            fn from(i: usize) -> Self {
                $name(i as u32)
            }
        }
    };
}

index!(
    /// A row/column of the problem's matrices.
    LocIdx
);
index!(
    /// A job of the problem.
    JobIdx
);
index!(
    /// A vehicle of the problem.
    VehicleIdx
);

/// A stable key of an id (FNV-1a): the same id gives the same key on every machine and version
/// (a household's own draws, whatever the sites it is grouped in).
pub fn stable_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
