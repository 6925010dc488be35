//! Frames: dictionaries of phrase patterns, compiled into one automaton over
//! token ids and matched in one pass; hits per document, overlaps between
//! frames, and keyword-in-context lines.

pub mod automaton;
pub mod context;
pub mod kwic;
pub mod pattern;
pub mod prefilter;
pub mod scan;
pub mod set;
