//! Counting: sparse document-term matrices, vocabulary pruning, TF-IDF, and
//! term frequencies over token ids.

pub mod csr;
pub mod fit;
pub mod rows;
pub mod termfreq;
pub mod tfidf;
pub mod vectorize;
