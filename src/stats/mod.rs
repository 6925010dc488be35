//! Discovery statistics over token ids: counts per group of documents, keyness,
//! collocations and bursts of emerging terms.

pub mod burst;
pub mod collocations;
pub mod grams;
pub mod keyness;
