//! How documents are split into chunks for rayon. Results never depend on
//! the chunking: every merge in the crate produces a canonical order.

/// Chunk size that gives each thread several chunks to balance uneven documents.
pub fn chunk_len(n_items: usize) -> usize {
    let threads = rayon::current_num_threads().max(1);
    (n_items / (threads * 8)).clamp(64, 16_384)
}
