//! Randomized truncated SVD of a sparse matrix (Halko, Martinsson and Tropp 2011,
//! algorithm 4.4 with power iterations): the top `k` left singular vectors and values.
//! The sparse products run in parallel, one output row per task, so the result is
//! the same for any thread count.

use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::embed::linalg::{orthonormalize_rows, symmetric_eigen, Normal};
use crate::error::{invalid, Result};

/// `(A Xᵀ)ᵀ` for a sparse `A` (r x c) and dense `X` (m x c): an m x r matrix. `X` is
/// laid out column by column first, so each stored value of `A` reads one contiguous
/// row of m numbers.
fn times_transposed(a: &Csr<f64>, x: &Array2<f64>) -> Array2<f64> {
    let m = x.nrows();
    let xt = x.t().as_standard_layout().into_owned(); // c x m, rows contiguous
    let xs = xt.as_slice().expect("standard layout");
    let mut out = vec![0.0; a.n_rows() * m];
    out.par_chunks_mut(m.max(1))
        .enumerate()
        .for_each(|(r, row)| {
            for k in a.indptr[r]..a.indptr[r + 1] {
                let (j, v) = (a.indices[k] as usize, a.data[k]);
                for (o, xv) in row.iter_mut().zip(&xs[j * m..(j + 1) * m]) {
                    *o += v * xv;
                }
            }
        });
    Array2::from_shape_vec((a.n_rows(), m), out)
        .expect("r x m")
        .reversed_axes()
        .as_standard_layout()
        .into_owned()
}

/// The transpose of a CSR matrix.
pub fn transpose(a: &Csr<f64>) -> Csr<f64> {
    let mut counts = vec![0usize; a.n_cols + 1];
    for &j in &a.indices {
        counts[j as usize + 1] += 1;
    }
    for j in 0..a.n_cols {
        counts[j + 1] += counts[j];
    }
    let mut next = counts.clone();
    let mut indices = vec![0u32; a.nnz()];
    let mut data = vec![0.0; a.nnz()];
    for r in 0..a.n_rows() {
        for k in a.indptr[r]..a.indptr[r + 1] {
            let j = a.indices[k] as usize;
            indices[next[j]] = r as u32;
            data[next[j]] = a.data[k];
            next[j] += 1;
        }
    }
    Csr {
        n_cols: a.n_rows(),
        indptr: counts,
        indices,
        data,
    }
}

/// The top `k` left singular vectors (columns of an r x k matrix) and singular values
/// (descending) of `a`, from a seeded random range finder with `oversample` extra
/// directions and `power_iters` power iterations.
pub fn truncated_svd(
    a: &Csr<f64>,
    k: usize,
    oversample: usize,
    power_iters: usize,
    seed: u64,
) -> Result<(Array2<f64>, Array1<f64>)> {
    if k == 0 {
        return Err(invalid("the number of dimensions must be at least 1"));
    }
    let (r, c) = (a.n_rows(), a.n_cols);
    let m = (k + oversample).min(r).min(c).max(1);
    let at = transpose(a);
    let omega = Normal::new(seed).matrix(m, c);
    let mut q = times_transposed(a, &omega);
    orthonormalize_rows(&mut q);
    for _ in 0..power_iters {
        crate::cancel::check()?;
        let mut z = times_transposed(&at, &q);
        orthonormalize_rows(&mut z);
        q = times_transposed(a, &z);
        orthonormalize_rows(&mut q);
    }
    // B = Q A (m x c); its left singular vectors from the eigen-decomposition of B Bᵀ.
    let b = times_transposed(&at, &q);
    let (values, vectors) = symmetric_eigen(&b.dot(&b.t()));
    let k = k.min(m);
    let u = q.t().dot(&vectors.slice(ndarray::s![.., ..k]));
    let s = values.slice(ndarray::s![..k]).mapv(|x| x.max(0.0).sqrt());
    Ok((u, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense_to_csr(d: &Array2<f64>) -> Csr<f64> {
        let mut csr = Csr {
            n_cols: d.ncols(),
            indptr: vec![0],
            indices: vec![],
            data: vec![],
        };
        for row in d.rows() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    csr.indices.push(j as u32);
                    csr.data.push(v);
                }
            }
            csr.indptr.push(csr.indices.len());
        }
        csr
    }

    #[test]
    fn recovers_a_planted_low_rank_matrix() {
        // A = U diag(10, 5, 2) Vᵀ with orthonormal U (40 x 3) and V (30 x 3), plus nothing
        // else: the three singular values and the subspace come back exactly.
        let mut n = Normal::new(4);
        let mut u = n.matrix(3, 40);
        let mut v = n.matrix(3, 30);
        orthonormalize_rows(&mut u);
        orthonormalize_rows(&mut v);
        let s = ndarray::array![10.0, 5.0, 2.0];
        let a = u.t().dot(&Array2::from_diag(&s)).dot(&v);
        let (uu, ss) = truncated_svd(&dense_to_csr(&a), 3, 5, 2, 1).unwrap();
        for (got, want) in ss.iter().zip(s.iter()) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        for i in 0..3 {
            let cos = uu.column(i).dot(&u.row(i)).abs();
            assert!((cos - 1.0).abs() < 1e-9, "vector {i}: |cos| {cos}");
        }
        // Seeded: the same numbers again.
        let (u2, s2) = truncated_svd(&dense_to_csr(&a), 3, 5, 2, 1).unwrap();
        assert_eq!((uu, ss), (u2, s2));
    }

    #[test]
    fn transpose_round_trips() {
        let d = ndarray::array![[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]];
        let t = transpose(&dense_to_csr(&d));
        assert_eq!(t, dense_to_csr(&d.t().to_owned()));
    }
}
