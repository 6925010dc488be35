//! Discovery statistics over token ids: counts per group of documents, keyness,
//! collocations, bursts of emerging terms, and bootstrap intervals of trends.

pub mod bootstrap;
pub mod burst;
pub mod collocations;
pub mod emerging;
pub mod grams;
pub mod keyness;
