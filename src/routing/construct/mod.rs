//! Building solutions: why a job cannot be served at all, and (re)inserting jobs.

pub mod reasons;
pub mod recreate;
