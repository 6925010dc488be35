//! The one "no id" sentinel for `u32` ids and indices throughout the core: a removed
//! token or an n-gram's padding slot (token and form ids), no transition (automaton
//! nodes), the end of a chain (documents), a dropped column, a document left out of
//! every group. `u32::MAX` is never a valid id: corpora, vocabularies and matrices are
//! checked to stay below it.

/// No id.
pub const NO_ID: u32 = u32::MAX;
