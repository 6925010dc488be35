//! Word spaces learned from the corpus itself: words (or stems, or phrases, or a
//! dictionary's hits as one unit) as vectors from positive PMI co-occurrence counts
//! reduced by a truncated SVD (Levy, Goldberg and Dagan 2015), for dictionary
//! expansion, and spaces per period aligned by orthogonal Procrustes (Hamilton,
//! Leskovec and Jurafsky 2016) for semantic drift.
//!
//! `units` (which tokens become which unit), `cooccur` (window counts per group),
//! `ppmi`, `linalg` (small dense algebra), `svd` (randomized truncated SVD), `align`
//! (Procrustes), `space` (the two jobs). Everything is seeded and computed in an order
//! that does not depend on the thread count.

pub mod align;
pub mod cooccur;
pub mod linalg;
pub mod ppmi;
pub mod space;
pub mod svd;
pub mod units;
