//! A compressed sparse row matrix with sorted column indices in each row.

use rayon::prelude::*;

/// CSR matrix: row `r` holds `indices[indptr[r]..indptr[r+1]]` (ascending) and the same `data` range.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr<T> {
    /// Number of columns.
    pub n_cols: usize,
    /// Row boundaries into `indices`/`data`; length is rows + 1.
    pub indptr: Vec<usize>,
    /// Column of each stored value, ascending within a row.
    pub indices: Vec<u32>,
    /// Stored values.
    pub data: Vec<T>,
}

impl<T: Copy + Send + Sync + Default> Csr<T> {
    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of stored values.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Stacks row blocks (all with `n_cols` columns) in order; the copies run in parallel.
    pub fn vstack(n_cols: usize, blocks: Vec<Csr<T>>) -> Csr<T>
    where
        T: Default,
    {
        let nnz: usize = blocks.iter().map(Csr::nnz).sum();
        let rows: usize = blocks.iter().map(Csr::n_rows).sum();
        let mut indptr = Vec::with_capacity(rows + 1);
        indptr.push(0);
        for b in &blocks {
            let base = *indptr.last().expect("starts with 0");
            indptr.extend(b.indptr[1..].iter().map(|&p| p + base));
        }
        let mut indices = vec![0u32; nnz];
        let mut data = vec![T::default(); nnz];
        // One destination slice per block, then the blocks copy themselves in parallel.
        let mut parts = Vec::with_capacity(blocks.len());
        let (mut ri, mut rd) = (indices.as_mut_slice(), data.as_mut_slice());
        for b in &blocks {
            let (hi, ti) = ri.split_at_mut(b.nnz());
            let (hd, td) = rd.split_at_mut(b.nnz());
            parts.push((hi, hd, b));
            ri = ti;
            rd = td;
        }
        parts.into_par_iter().for_each(|(i, d, b)| {
            i.copy_from_slice(&b.indices);
            d.copy_from_slice(&b.data);
        });
        Csr {
            n_cols,
            indptr,
            indices,
            data,
        }
    }

    /// Number of rows in which each column has a stored value (document frequency).
    /// Parallel when there are many more values than columns (one histogram per part).
    pub fn column_nnz(&self) -> Vec<u32> {
        let histogram = |part: &[u32]| {
            let mut df = vec![0u32; self.n_cols];
            for &j in part {
                df[j as usize] += 1;
            }
            df
        };
        let parts = rayon::current_num_threads().min(self.nnz() / self.n_cols.max(1) / 4);
        if parts < 2 {
            return histogram(&self.indices);
        }
        self.indices
            .par_chunks(self.nnz().div_ceil(parts))
            .map(histogram)
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            })
            .unwrap_or_else(|| vec![0; self.n_cols])
    }

    /// Keeps the columns in `keep` (ascending) and renumbers them 0.. in that order.
    /// Parallel over blocks of rows; row order and column order are preserved.
    pub fn select_columns(&self, keep: &[u32]) -> Csr<T> {
        let mut new_index = vec![crate::ids::NO_ID; self.n_cols];
        for (new, &old) in keep.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        let rows: Vec<usize> = (0..self.n_rows()).collect();
        let blocks: Vec<Csr<T>> = rows
            .par_chunks(2048)
            .map(|block| {
                let mut out = Csr {
                    n_cols: keep.len(),
                    indptr: vec![0],
                    indices: Vec::new(),
                    data: Vec::new(),
                };
                for &r in block {
                    for k in self.indptr[r]..self.indptr[r + 1] {
                        let n = new_index[self.indices[k] as usize];
                        if n != crate::ids::NO_ID {
                            out.indices.push(n);
                            out.data.push(self.data[k]);
                        }
                    }
                    out.indptr.push(out.indices.len());
                }
                out
            })
            .collect();
        Csr::vstack(keep.len(), blocks)
    }
}

impl Csr<u32> {
    /// Sum of each column, as u64.
    pub fn column_sums(&self) -> Vec<u64> {
        let mut s = vec![0u64; self.n_cols];
        for (&j, &v) in self.indices.iter().zip(&self.data) {
            s[j as usize] += u64::from(v);
        }
        s
    }
}
