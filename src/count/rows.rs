//! Document-term counts as the counting workers left them, and their layout.
//!
//! Each worker writes rows in its own local columns (first-seen order); after the
//! vocabularies are merged every local column maps to a column of the vocabulary
//! (or to none, once pruned). [`CountRows`] holds the rows that way and lays them
//! out once, straight into the values the caller wants (counts in a dtype, TF-IDF
//! weights), with each row's columns ascending: one pass over the rows, no matrix
//! of counts laid out first and converted after. Document frequencies and column
//! sums are read from the local rows; pruning only rewrites the maps.
//!
//! [`RowSorter`] orders one row: short rows (or rows that are sparse next to a
//! large vocabulary) are sorted as packed `u64` keys; long rows are ordered
//! through a two-level bitmap over the columns, which costs one bit set per value
//! plus one scan of the summary words, instead of `m log m` compares.

use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::error::Result;
use crate::ids::NO_ID;
use crate::memory::{zeroed, Zeroed};

/// Tags an n-gram column (n >= 2) in a worker's rows; untagged columns are token or
/// term ids. A block's local column `j` is its map's entry [`local_index`]`(j, uni_cols)`.
pub(crate) const GRAM: u32 = 1 << 31;

/// Where local column `j` is in its worker's map: token (or term) ids first, then
/// the `GRAM`-tagged n-gram ids after the `uni_cols` token columns.
#[inline]
fn local_index(j: u32, uni_cols: u32) -> usize {
    ((j >> 31) * uni_cols + (j & !GRAM)) as usize
}

/// Rows counted by one worker, for consecutive documents.
pub(crate) struct RowBlock {
    /// The rows, in local columns.
    pub(crate) rows: Csr<u32>,
    /// Which worker counted them (their map is `maps[worker]`).
    pub(crate) worker: usize,
    /// The worker's token columns (see [`local_index`]).
    pub(crate) uni_cols: u32,
}

/// A document-term count matrix before it is laid out: row blocks in local
/// columns (in document order) and, per worker, the map of its local columns to
/// the matrix's columns (`NO_ID`: dropped by [`CountRows::select_columns`]).
pub struct CountRows {
    n_cols: usize,
    n_rows: usize,
    blocks: Vec<RowBlock>,
    maps: Vec<Vec<u32>>,
    /// Rows already in ascending column order, with maps that keep it (a matrix
    /// counted against a fixed vocabulary, and its selections).
    sorted: bool,
    /// Whether some local column maps to no column.
    pruned: bool,
}

/// Big blocks are read in pieces of this many values, so one block alone still
/// keeps every thread busy.
const PIECE: usize = 1 << 20;

impl CountRows {
    /// Rows in local columns: `blocks` in document order, `maps[w]` for worker `w`'s blocks.
    pub(crate) fn new(n_cols: usize, blocks: Vec<RowBlock>, maps: Vec<Vec<u32>>) -> Self {
        let n_rows = blocks.iter().map(|b| b.rows.n_rows()).sum();
        CountRows {
            n_cols,
            n_rows,
            blocks,
            maps,
            sorted: false,
            pruned: false,
        }
    }

    /// A matrix already laid out (rows in ascending column order).
    pub fn from_csr(csr: Csr<u32>) -> Self {
        let n_cols = csr.n_cols;
        CountRows {
            n_cols,
            n_rows: csr.n_rows(),
            blocks: vec![RowBlock {
                rows: csr,
                worker: 0,
                uni_cols: u32::MAX,
            }],
            maps: vec![(0..n_cols as u32).collect()],
            sorted: true,
            pruned: false,
        }
    }

    /// Rows already in ascending column order, block after block (counted against a
    /// fixed vocabulary), kept as they are: laid out without first being stacked.
    pub fn from_sorted_blocks(n_cols: usize, blocks: Vec<Csr<u32>>) -> Self {
        let mut rows = CountRows::new(
            n_cols,
            blocks
                .into_iter()
                .map(|rows| RowBlock {
                    rows,
                    worker: 0,
                    uni_cols: u32::MAX,
                })
                .collect(),
            vec![(0..n_cols as u32).collect()],
        );
        rows.sorted = true;
        rows
    }

    /// (rows, columns).
    pub fn shape(&self) -> (usize, usize) {
        (self.n_rows, self.n_cols)
    }

    /// Stored values once laid out.
    fn kept_in(&self, b: &RowBlock) -> usize {
        if !self.pruned {
            return b.rows.nnz();
        }
        let map = &self.maps[b.worker];
        b.rows
            .indices
            .iter()
            .filter(|&&j| map[local_index(j, b.uni_cols)] != NO_ID)
            .count()
    }

    /// Adds `value(count)` of every stored value to its column: first in each
    /// worker's local columns (in parallel: a worker's blocks are cut into pieces,
    /// handled in about as many groups as there are threads), then through its map.
    fn per_column<A>(&self, value: impl Fn(u32) -> A + Sync) -> Vec<A>
    where
        A: Copy + Default + Send + Sync + std::ops::AddAssign,
    {
        let n_workers = self.maps.len();
        let groups = rayon::current_num_threads().div_ceil(n_workers.max(1));
        // (worker, block, value range) pieces, dealt to `groups` tasks per worker.
        let mut tasks: Vec<Vec<(usize, std::ops::Range<usize>)>> =
            vec![Vec::new(); n_workers * groups];
        let mut dealt = vec![0usize; n_workers];
        for (bi, b) in self.blocks.iter().enumerate() {
            let nnz = b.rows.nnz();
            for p in 0..nnz.div_ceil(PIECE) {
                let g = dealt[b.worker] % groups;
                dealt[b.worker] += 1;
                tasks[b.worker * groups + g].push((bi, p * PIECE..nnz.min((p + 1) * PIECE)));
            }
        }
        let local: Vec<(usize, Vec<A>)> = tasks
            .into_par_iter()
            .enumerate()
            .filter(|(_, pieces)| !pieces.is_empty())
            .map(|(t, pieces)| {
                let w = t / groups;
                let mut acc = vec![A::default(); self.maps[w].len()];
                for (bi, range) in pieces {
                    let b = &self.blocks[bi];
                    let (cols, counts) = (&b.rows.indices[range.clone()], &b.rows.data[range]);
                    for (&j, &c) in cols.iter().zip(counts) {
                        acc[local_index(j, b.uni_cols)] += value(c);
                    }
                }
                (w, acc)
            })
            .collect();
        // Through the maps, in parallel over ranges of the columns (each range reads
        // every local sum and keeps its own columns' ones).
        let mut out = vec![A::default(); self.n_cols];
        let span = self
            .n_cols
            .div_ceil(rayon::current_num_threads())
            .max(1 << 14);
        out.par_chunks_mut(span).enumerate().for_each(|(r, part)| {
            let lo = (r * span) as u32;
            for (w, acc) in &local {
                for (&v, &g) in acc.iter().zip(&self.maps[*w]) {
                    if g.wrapping_sub(lo) < part.len() as u32 {
                        part[(g - lo) as usize] += v;
                    }
                }
            }
        });
        out
    }

    /// Documents containing each column's term (document frequency).
    pub fn doc_freq(&self) -> Vec<u32> {
        self.per_column(|_| 1u32)
    }

    /// Total count of each column.
    pub fn column_sums(&self) -> Vec<u64> {
        self.per_column(u64::from)
    }

    /// Keeps the columns in `keep` (ascending, each below the column count) and
    /// renumbers them 0.. in that order; rows are unchanged until laid out.
    pub fn select_columns(&mut self, keep: &[u32]) {
        debug_assert!(keep.windows(2).all(|w| w[0] < w[1]));
        let mut new_index = vec![NO_ID; self.n_cols];
        for (new, &old) in keep.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        self.maps.par_iter_mut().for_each(|map| {
            for g in map.iter_mut() {
                if *g != NO_ID {
                    *g = new_index[*g as usize];
                }
            }
        });
        self.pruned |= keep.len() < self.n_cols;
        self.n_cols = keep.len();
    }

    /// Lays the rows out as a CSR matrix of `T`: each row's kept columns ascending,
    /// its values from `emit(columns, counts, out)` (all three the row's length).
    /// Blocks are laid out in parallel, each straight into its part of the output.
    /// Errs (naming the arrays) when the output does not fit in memory.
    pub fn lay_out<T>(self, emit: impl Fn(&[u32], &[u32], &mut [T]) + Sync) -> Result<Csr<T>>
    where
        T: Zeroed + Send + Sync,
    {
        let kept: Vec<usize> = self.blocks.par_iter().map(|b| self.kept_in(b)).collect();
        let nnz: usize = kept.iter().sum();
        let mut indptr = zeroed::<usize>(self.n_rows + 1, "the matrix's row pointers")?;
        // Fresh zeroed pages (2 MiB ones where `memory::huge_pages` asks), faulted in by
        // the threads that fill them.
        let mut indices = zeroed::<u32>(nnz, "the matrix's column indices")?;
        let mut data = zeroed::<T>(nnz, "the matrix's values")?;
        crate::memory::advise_huge_pages(&mut indices);
        crate::memory::advise_huge_pages(&mut data);
        // One destination per block, in document order.
        let mut parts = Vec::with_capacity(self.blocks.len());
        let (mut rp, mut ri, mut rd) = (
            &mut indptr[1..],
            indices.as_mut_slice(),
            data.as_mut_slice(),
        );
        let mut first_value = 0;
        for (b, &k) in self.blocks.iter().zip(&kept) {
            let (hp, tp) = rp.split_at_mut(b.rows.n_rows());
            let (hi, ti) = ri.split_at_mut(k);
            let (hd, td) = rd.split_at_mut(k);
            parts.push((b, first_value, hp, hi, hd));
            (rp, ri, rd) = (tp, ti, td);
            first_value += k;
        }
        let (n_cols, sorted, maps) = (self.n_cols, self.sorted, &self.maps);
        parts.into_par_iter().with_max_len(1).for_each_init(
            || (RowSorter::new(n_cols), Vec::new()),
            |(sorter, counts), (b, first_value, out_ptr, out_idx, out_dat)| {
                let (map, uni) = (&maps[b.worker][..], b.uni_cols);
                let col_of = |j: u32| map[local_index(j, uni)];
                let mut at = 0;
                for (r, (ends, end_at)) in
                    b.rows.indptr.windows(2).zip(out_ptr.iter_mut()).enumerate()
                {
                    if r % 1024 == 0 && crate::cancel::requested() {
                        return; // the caller drops the result
                    }
                    let (cols, vals) = (
                        &b.rows.indices[ends[0]..ends[1]],
                        &b.rows.data[ends[0]..ends[1]],
                    );
                    counts.resize(cols.len(), 0);
                    let m = if sorted {
                        keep_in_order(cols, vals, col_of, &mut out_idx[at..], counts)
                    } else {
                        sorter.sort_row(cols, vals, col_of, &mut out_idx[at..], counts)
                    };
                    emit(&out_idx[at..at + m], &counts[..m], &mut out_dat[at..at + m]);
                    at += m;
                    *end_at = first_value + at;
                }
            },
        );
        Ok(Csr {
            n_cols,
            indptr,
            indices,
            data,
        })
    }

    /// The counts as a CSR matrix (the rows themselves when nothing needs doing).
    pub fn into_csr(mut self) -> Result<Csr<u32>> {
        if self.sorted && !self.pruned && self.blocks.len() == 1 {
            let mut rows = self.blocks.pop().expect("one block").rows;
            rows.n_cols = self.n_cols;
            return Ok(rows);
        }
        self.lay_out(|_, counts, out| out.copy_from_slice(counts))
    }
}

/// A row already in column order, through a map that keeps the order: its kept
/// columns and counts, in order. Returns how many.
fn keep_in_order(
    cols: &[u32],
    vals: &[u32],
    col_of: impl Fn(u32) -> u32,
    out_cols: &mut [u32],
    out_vals: &mut [u32],
) -> usize {
    let mut k = 0;
    for (&c, &v) in cols.iter().zip(vals) {
        let g = col_of(c);
        if g != NO_ID {
            out_cols[k] = g;
            out_vals[k] = v;
            k += 1;
        }
    }
    k
}

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
    /// in ascending column order, leaving out columns that map to `NO_ID`; returns how
    /// many it wrote. `col_of` must be injective on the row's kept columns, and the
    /// outputs have room for them.
    #[inline]
    pub fn sort_row(
        &mut self,
        cols: &[u32],
        vals: &[u32],
        col_of: impl Fn(u32) -> u32,
        out_cols: &mut [u32],
        out_vals: &mut [u32],
    ) -> usize {
        let m = cols.len();
        debug_assert_eq!(vals.len(), m);
        if !self.use_bitmap(m) {
            self.packed.clear();
            self.packed.extend(
                cols.iter()
                    .zip(vals)
                    .map(|(&c, &v)| (col_of(c), v))
                    .filter(|&(g, _)| g != NO_ID)
                    .map(|(g, v)| (u64::from(g) << 32) | u64::from(v)),
            );
            self.packed.sort_unstable();
            for ((k, oc), ov) in self.packed.iter().zip(out_cols).zip(out_vals) {
                *oc = (k >> 32) as u32;
                *ov = *k as u32;
            }
            return self.packed.len();
        }
        if self.words.is_empty() {
            let n_words = self.n_cols.div_ceil(64);
            self.words = vec![0; n_words];
            self.summary = vec![0; n_words.div_ceil(64)];
            self.values = vec![0; self.n_cols];
        }
        let (words, summary, values) = (&mut self.words, &mut self.summary, &mut self.values);
        let mut kept = 0;
        for (&c, &v) in cols.iter().zip(vals) {
            let g = col_of(c);
            if g == NO_ID {
                continue;
            }
            kept += 1;
            let g = g as usize;
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
            if k == kept {
                // Later summary words are all zero: the row is done.
                break;
            }
        }
        debug_assert_eq!(k, kept, "col_of must be injective on a row");
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two workers' rows over 6 columns: worker 0 has local columns (0..4) -> [3, 0, 5, 1],
    /// worker 1 has tokens (0..2) -> [2, 0] and one n-gram (`GRAM | 0`) -> 4.
    fn two_workers() -> CountRows {
        let block =
            |indptr: Vec<usize>, indices: Vec<u32>, data: Vec<u32>, worker, uni_cols| RowBlock {
                rows: Csr {
                    n_cols: 0,
                    indptr,
                    indices,
                    data,
                },
                worker,
                uni_cols,
            };
        CountRows::new(
            6,
            vec![
                block(vec![0, 3, 3], vec![0, 2, 1], vec![2, 1, 7], 0, 4),
                block(
                    vec![0, 2, 5],
                    vec![1, GRAM, 0, 1, GRAM],
                    vec![1, 3, 4, 2, 1],
                    1,
                    2,
                ),
                block(vec![0, 2], vec![3, 0], vec![5, 1], 0, 4),
            ],
            vec![vec![3, 0, 5, 1], vec![2, 0, 4]],
        )
    }

    /// The same matrix, laid out by hand: rows of (column, count), columns ascending.
    fn dense_rows() -> Vec<Vec<(u32, u32)>> {
        vec![
            vec![(0, 7), (3, 2), (5, 1)],
            vec![],
            vec![(0, 1), (4, 3)],
            vec![(0, 2), (2, 4), (4, 1)],
            vec![(1, 5), (3, 1)],
        ]
    }

    fn rows_of(m: &Csr<u32>) -> Vec<Vec<(u32, u32)>> {
        m.indptr
            .windows(2)
            .map(|w| (w[0]..w[1]).map(|k| (m.indices[k], m.data[k])).collect())
            .collect()
    }

    #[test]
    fn rows_lay_out_in_column_order_with_their_statistics() {
        let rows = two_workers();
        assert_eq!(rows.shape(), (5, 6));
        assert_eq!(rows.doc_freq(), [3, 1, 1, 2, 2, 1]);
        assert_eq!(rows.column_sums(), [10, 5, 4, 3, 4, 1]);
        let m = rows.into_csr().unwrap();
        assert_eq!(m.n_cols, 6);
        assert_eq!(rows_of(&m), dense_rows());
    }

    #[test]
    fn selected_columns_are_dropped_and_renumbered_as_laid_out() {
        let keep = [0u32, 3, 4];
        let expected: Vec<Vec<(u32, u32)>> = dense_rows()
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .filter_map(|(c, v)| keep.iter().position(|&k| k == c).map(|n| (n as u32, v)))
                    .collect()
            })
            .collect();
        let mut rows = two_workers();
        rows.select_columns(&keep);
        assert_eq!(rows.shape(), (5, 3));
        assert_eq!(rows.doc_freq(), [3, 2, 2]);
        assert_eq!(rows.column_sums(), [10, 3, 4]);
        let m = rows.into_csr().unwrap();
        assert_eq!(m.indptr, [0, 2, 2, 4, 6, 7]);
        assert_eq!(rows_of(&m), expected);
        // A laid-out matrix (counted against a fixed vocabulary) selects the same way.
        let mut again = CountRows::from_csr(two_workers().into_csr().unwrap());
        again.select_columns(&keep);
        assert_eq!(again.doc_freq(), [3, 2, 2]);
        assert_eq!(rows_of(&again.into_csr().unwrap()), expected);
    }

    #[test]
    fn values_are_emitted_per_row_in_column_order() {
        let m = two_workers()
            .lay_out(|cols, counts, out: &mut [f64]| {
                for ((o, &c), &n) in out.iter_mut().zip(cols).zip(counts) {
                    *o = f64::from(c) * 100.0 + f64::from(n);
                }
            })
            .unwrap();
        assert_eq!(
            m.data,
            [7.0, 302.0, 501.0, 1.0, 403.0, 2.0, 204.0, 401.0, 105.0, 301.0]
        );
        let whole = CountRows::from_csr(two_workers().into_csr().unwrap());
        assert_eq!(
            whole.into_csr().unwrap(),
            two_workers().into_csr().unwrap(),
            "nothing to do: the rows themselves"
        );
    }

    #[test]
    fn statistics_and_layout_do_not_depend_on_threads() {
        let docs: Vec<String> = (0..3000)
            .map(|i| format!("w{} x{} w{}", i % 89, i % 7, i % 13))
            .collect();
        let analyzer = crate::text::analyzer::WordAnalyzer::new(
            true,
            crate::text::analyzer::StripAccents::None,
            crate::text::analyzer::TokenPattern::Default,
            None,
            (1, 2),
        )
        .unwrap();
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut c = crate::count::fit::FitCounter::new(&analyzer);
                for part in docs.chunks(700) {
                    c.count(part).unwrap();
                }
                let (_, mut rows) = c.merge().unwrap();
                let df = rows.doc_freq();
                let keep: Vec<u32> = (0..df.len() as u32)
                    .filter(|&j| df[j as usize] > 30)
                    .collect();
                rows.select_columns(&keep);
                (df, rows.column_sums(), rows.into_csr().unwrap())
            })
        };
        let one = run(1);
        assert_eq!(one, run(3));
        assert!(one.2.nnz() > 0 && one.2.n_cols < one.0.len());
    }

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
    fn dropped_columns_are_left_out_on_both_paths() {
        // 200,000 columns (the bitmap serves rows of 48 values and more), every third
        // dropped, the rest renumbered in reverse.
        let n = 200_000u32;
        let map: Vec<u32> = (0..n)
            .map(|c| if c % 3 == 0 { NO_ID } else { n - 1 - c })
            .collect();
        let mut sorter = RowSorter::new(n as usize);
        for m in [0usize, 1, 5, 47, 48, 300, 3000] {
            let cols: Vec<u32> = (0..m as u32).map(|i| (i * 7 + 1) % n).collect();
            let vals: Vec<u32> = cols.iter().map(|c| c % 11 + 1).collect();
            let mut want: Vec<(u32, u32)> = cols
                .iter()
                .zip(&vals)
                .filter(|(&c, _)| c % 3 != 0)
                .map(|(&c, &v)| (n - 1 - c, v))
                .collect();
            want.sort_unstable();
            let (mut oc, mut ov) = (vec![0; m], vec![0; m]);
            let k = sorter.sort_row(&cols, &vals, |c| map[c as usize], &mut oc, &mut ov);
            let got: Vec<(u32, u32)> = oc[..k]
                .iter()
                .copied()
                .zip(ov[..k].iter().copied())
                .collect();
            assert_eq!(got, want, "row of {m}");
        }
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
