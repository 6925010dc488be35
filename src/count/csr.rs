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
}
