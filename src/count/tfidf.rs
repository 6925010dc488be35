//! TF-IDF with scikit-learn's exact formulas (`TfidfTransformer`):
//! - idf is given (computed by the Python package with numpy, as scikit-learn computes it,
//!   so it is bit-identical: `framescope.vocabulary.idf`);
//! - tf = count (1 if `binary`), or 1 + ln(count) with `sublinear_tf`;
//! - each row divided by its L2 (or L1) norm, summed in row order, as sklearn's `normalize`.
//!
//! One parallel pass over rows; output values are in the input's CSR layout.

use rayon::prelude::*;

use crate::count::csr::Csr;

/// Row normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Norm {
    /// No normalisation.
    None,
    /// Divide by the sum of absolute values.
    L1,
    /// Divide by the Euclidean norm.
    L2,
}

crate::choices!(Norm, "norm", ["l2" => Norm::L2, "l1" => Norm::L1, "none" => Norm::None]);

/// How counts become weights.
#[derive(Debug, Clone, Copy)]
pub struct TfidfOptions {
    /// Row normalisation.
    pub norm: Norm,
    /// Replace counts by 1 before weighting.
    pub binary: bool,
    /// Use 1 + ln(tf).
    pub sublinear_tf: bool,
}

/// Weighted, normalised values for `counts` (same layout), optionally scaled by `idf`.
pub fn tfidf_weight(counts: &Csr<u32>, idf: Option<&[f64]>, opts: TfidfOptions) -> Vec<f64> {
    let mut data = vec![0f64; counts.nnz()];
    let mut slices: Vec<&mut [f64]> = Vec::with_capacity(counts.n_rows());
    let mut rest: &mut [f64] = &mut data;
    for r in 0..counts.n_rows() {
        let (row, tail) = rest.split_at_mut(counts.indptr[r + 1] - counts.indptr[r]);
        slices.push(row);
        rest = tail;
    }
    slices
        .into_par_iter()
        .enumerate()
        .with_min_len(256)
        .for_each(|(r, row)| {
            let a = counts.indptr[r];
            for (k, out) in row.iter_mut().enumerate() {
                let c = if opts.binary {
                    1.0
                } else {
                    f64::from(counts.data[a + k])
                };
                let mut v = if opts.sublinear_tf { c.ln() + 1.0 } else { c };
                if let Some(idf) = idf {
                    v *= idf[counts.indices[a + k] as usize];
                }
                *out = v;
            }
            let norm = match opts.norm {
                Norm::None => return,
                Norm::L1 => row.iter().fold(0.0, |s, v| s + v.abs()),
                Norm::L2 => row.iter().fold(0.0, |s, v| s + v * v).sqrt(),
            };
            if norm != 0.0 {
                for v in row.iter_mut() {
                    *v /= norm;
                }
            }
        });
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l2_rows() {
        let m = Csr {
            n_cols: 2,
            indptr: vec![0, 2, 2],
            indices: vec![0, 1],
            data: vec![3u32, 4],
        };
        let w = tfidf_weight(
            &m,
            None,
            TfidfOptions {
                norm: Norm::L2,
                binary: false,
                sublinear_tf: false,
            },
        );
        assert_eq!(w, [0.6, 0.8]);
        let w = tfidf_weight(
            &m,
            None,
            TfidfOptions {
                norm: Norm::L1,
                binary: true,
                sublinear_tf: false,
            },
        );
        assert_eq!(w, [0.5, 0.5]);
    }
}
