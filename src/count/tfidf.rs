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

/// A float type TF-IDF values are written in (computed in `f64`, then converted).
pub trait Weight: Copy + Default + Send + Sync {
    /// The value in this type.
    fn from_f64(v: f64) -> Self;
}

impl Weight for f64 {
    #[inline]
    fn from_f64(v: f64) -> Self {
        v
    }
}

impl Weight for f32 {
    #[inline]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}

/// One row's weights: `cols` and `counts` are the row's columns and counts, `out`
/// receives its values (same length), in `f64` and then converted to `T`. The one
/// home of the formulas: the norm is summed in row order, as scikit-learn's `normalize`.
#[inline]
pub fn weigh_row<T: Weight>(
    cols: &[u32],
    counts: &[u32],
    idf: Option<&[f64]>,
    opts: TfidfOptions,
    out: &mut [T],
) {
    let value = |k: usize| {
        let c = if opts.binary {
            1.0
        } else {
            f64::from(counts[k])
        };
        let v = if opts.sublinear_tf { c.ln() + 1.0 } else { c };
        match idf {
            Some(idf) => v * idf[cols[k] as usize],
            None => v,
        }
    };
    let norm = match opts.norm {
        Norm::None => 0.0,
        Norm::L1 => (0..out.len()).fold(0.0, |s, k| s + value(k).abs()),
        Norm::L2 => (0..out.len())
            .fold(0.0, |s, k| {
                let v = value(k);
                s + v * v
            })
            .sqrt(),
    };
    for (k, o) in out.iter_mut().enumerate() {
        let v = value(k);
        *o = T::from_f64(if norm != 0.0 { v / norm } else { v });
    }
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
            let (a, b) = (counts.indptr[r], counts.indptr[r + 1]);
            weigh_row(&counts.indices[a..b], &counts.data[a..b], idf, opts, row);
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

    #[test]
    fn rows_weigh_alike_in_f64_and_f32() {
        let (cols, counts) = ([0u32, 2, 5], [3u32, 1, 4]);
        let idf = [1.5, 9.0, 1.1, 9.0, 9.0, 1.25];
        let l2 = TfidfOptions {
            norm: Norm::L2,
            binary: false,
            sublinear_tf: false,
        };
        let mut a = [0f64; 3];
        weigh_row(&cols, &counts, Some(&idf), l2, &mut a);
        // By hand: 3 * 1.5, 1 * 1.1, 4 * 1.25 over sqrt(4.5^2 + 1.1^2 + 5^2).
        let norm = 46.46f64.sqrt();
        for (got, want) in a.iter().zip([4.5 / norm, 1.1 / norm, 5.0 / norm]) {
            assert!((got - want).abs() < 1e-15, "{got} {want}");
        }
        for norm in [Norm::None, Norm::L1, Norm::L2] {
            for (binary, sublinear_tf) in [(false, false), (true, false), (false, true)] {
                let opts = TfidfOptions {
                    norm,
                    binary,
                    sublinear_tf,
                };
                let (mut a, mut b) = ([0f64; 3], [0f32; 3]);
                weigh_row(&cols, &counts, Some(&idf), opts, &mut a);
                weigh_row(&cols, &counts, Some(&idf), opts, &mut b);
                assert_eq!(b, a.map(|x| x as f32), "{opts:?}");
            }
        }
    }
}
