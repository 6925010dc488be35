//! Renumbering a block of CSR rows into global columns, each row sorted.
//!
//! Rows counted against a local vocabulary hold local column ids in first-seen
//! order; after the vocabularies are merged every id maps to its global column
//! and each row must come out sorted. Short rows (or rows that are sparse next
//! to a large vocabulary) are sorted as packed `u64` keys; long rows are ordered
//! through a two-level bitmap over the columns, which costs one bit set per value
//! plus one scan of the summary words, instead of `m log m` compares.

/// Reusable buffers for [`RowSorter::sort_row`]; sized for one vocabulary.
pub struct RowSorter {
    n_cols: usize,
    /// One bit per column.
    words: Vec<u64>,
    /// One bit per non-zero word of `words`.
    summary: Vec<u64>,
    /// Value of each column set in `words`.
    values: Vec<u32>,
    /// Packed (column << 32 | value) keys for the sort path.
    packed: Vec<u64>,
}

impl RowSorter {
    /// Buffers for rows over `n_cols` columns (the bitmap is allocated on first use).
    pub fn new(n_cols: usize) -> Self {
        RowSorter {
            n_cols,
            words: Vec::new(),
            summary: Vec::new(),
            values: Vec::new(),
            packed: Vec::new(),
        }
    }

    /// Whether a row of `m` values is cheaper to order through the bitmap than to sort.
    fn use_bitmap(&self, m: usize) -> bool {
        // The bitmap scan reads n_cols / 4096 summary words; a sort costs about m log m.
        // Over 256k columns the dense value array no longer fits in L2: sort instead.
        m >= 48 && self.n_cols <= 1 << 18
    }

    /// Writes the row `(cols, vals)` renumbered through `col_of` into `out_cols`/`out_vals`
    /// in ascending column order. `col_of` must be injective on the row's columns.
    #[inline]
    pub fn sort_row(
        &mut self,
        cols: &[u32],
        vals: &[u32],
        col_of: impl Fn(u32) -> u32,
        out_cols: &mut [u32],
        out_vals: &mut [u32],
    ) {
        let m = cols.len();
        debug_assert!(vals.len() == m && out_cols.len() == m && out_vals.len() == m);
        if !self.use_bitmap(m) {
            self.packed.clear();
            self.packed.extend(
                cols.iter()
                    .zip(vals)
                    .map(|(&c, &v)| (u64::from(col_of(c)) << 32) | u64::from(v)),
            );
            self.packed.sort_unstable();
            for ((k, oc), ov) in self.packed.iter().zip(out_cols).zip(out_vals) {
                *oc = (k >> 32) as u32;
                *ov = *k as u32;
            }
            return;
        }
        if self.words.is_empty() {
            let n_words = self.n_cols.div_ceil(64);
            self.words = vec![0; n_words];
            self.summary = vec![0; n_words.div_ceil(64)];
            self.values = vec![0; self.n_cols];
        }
        let (words, summary, values) = (&mut self.words, &mut self.summary, &mut self.values);
        for (&c, &v) in cols.iter().zip(vals) {
            let g = col_of(c) as usize;
            values[g] = v;
            words[g >> 6] |= 1 << (g & 63);
            summary[g >> 12] |= 1 << ((g >> 6) & 63);
        }
        let mut k = 0;
        for (s, sword) in summary.iter_mut().enumerate() {
            let mut sbits = std::mem::take(sword);
            while sbits != 0 {
                let w = (s << 6) | sbits.trailing_zeros() as usize;
                sbits &= sbits - 1;
                let mut bits = std::mem::take(&mut words[w]);
                while bits != 0 {
                    let g = (w << 6) | bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    out_cols[k] = g as u32;
                    out_vals[k] = values[g];
                    k += 1;
                }
            }
            if k == m {
                // Later summary words are all zero: the row is done.
                break;
            }
        }
        debug_assert_eq!(k, m, "col_of must be injective on a row");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(cols: &[u32], vals: &[u32], map: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let mut p: Vec<(u32, u32)> = cols
            .iter()
            .zip(vals)
            .map(|(&c, &v)| (map[c as usize], v))
            .collect();
        p.sort_unstable();
        p.into_iter().unzip()
    }

    #[test]
    fn both_paths_sort_rows() {
        // A permutation of 300,000 columns; rows of every length class, reusing the buffers.
        let n = 300_000u32;
        let map: Vec<u32> = (0..n)
            .map(|i| (u64::from(i) * 7919 % u64::from(n)) as u32)
            .collect();
        let mut seen = vec![false; n as usize];
        for &g in &map {
            assert!(
                !std::mem::replace(&mut seen[g as usize], true),
                "not a permutation"
            );
        }
        let mut sorter = RowSorter::new(n as usize);
        let mut state = 7u64;
        for m in [0usize, 1, 2, 47, 48, 100, 5000, 1, 64, 20_000, 3] {
            let mut cols: Vec<u32> = Vec::new();
            let mut used = std::collections::HashSet::new();
            while cols.len() < m {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let c = (state >> 33) as u32 % n;
                if used.insert(c) {
                    cols.push(c);
                }
            }
            let vals: Vec<u32> = cols.iter().map(|c| c % 97 + 1).collect();
            let (mut oc, mut ov) = (vec![0; m], vec![0; m]);
            sorter.sort_row(&cols, &vals, |c| map[c as usize], &mut oc, &mut ov);
            assert_eq!((oc, ov), reference(&cols, &vals, &map), "row of {m}");
        }
    }
}
