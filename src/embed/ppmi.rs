//! Positive pointwise mutual information of co-occurrence counts, with the context
//! distribution smoothed by `alpha` (Levy, Goldberg and Dagan 2015 use 0.75, which
//! keeps rare contexts from dominating):
//! `PPMI(w, c) = max(0, ln(n(w, c) · Σ_c' n(c')^α / (n(w) · n(c)^α)))`.

use crate::count::csr::Csr;

/// The PPMI matrix of `counts` (rows: words, columns: contexts); zero entries are left
/// out.
pub fn ppmi(counts: &Csr<u64>, alpha: f64) -> Csr<f64> {
    let row_sums: Vec<f64> = (0..counts.n_rows())
        .map(|r| {
            counts.data[counts.indptr[r]..counts.indptr[r + 1]]
                .iter()
                .sum::<u64>() as f64
        })
        .collect();
    let mut col_sums = vec![0f64; counts.n_cols];
    for (&j, &v) in counts.indices.iter().zip(&counts.data) {
        col_sums[j as usize] += v as f64;
    }
    let col_smoothed: Vec<f64> = col_sums.iter().map(|&c| c.powf(alpha)).collect();
    let total_smoothed: f64 = col_smoothed.iter().sum();
    let mut out = Csr {
        n_cols: counts.n_cols,
        indptr: vec![0],
        indices: Vec::new(),
        data: Vec::new(),
    };
    for (r, &row_sum) in row_sums.iter().enumerate() {
        for k in counts.indptr[r]..counts.indptr[r + 1] {
            let j = counts.indices[k] as usize;
            let pmi = (counts.data[k] as f64 * total_smoothed / (row_sum * col_smoothed[j])).ln();
            if pmi > 0.0 {
                out.indices.push(j as u32);
                out.data.push(pmi);
            }
        }
        out.indptr.push(out.indices.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppmi_by_hand() {
        // Counts [[0, 4], [4, 2]]: rows sum to 4 and 6, columns to 4 and 6.
        let counts = Csr {
            n_cols: 2,
            indptr: vec![0, 1, 3],
            indices: vec![1, 0, 1],
            data: vec![4u64, 4, 2],
        };
        // alpha = 1: ln(4 * 10 / (4 * 6)) = ln(5/3); ln(4 * 10 / (6 * 4)) = ln(5/3);
        // ln(2 * 10 / (6 * 6)) < 0, left out.
        let p = ppmi(&counts, 1.0);
        assert_eq!(p.indptr, vec![0, 1, 2]);
        assert_eq!(p.indices, vec![1, 0]);
        assert!((p.data[0] - (5.0f64 / 3.0).ln()).abs() < 1e-12);
        assert!((p.data[1] - (5.0f64 / 3.0).ln()).abs() < 1e-12);
        // alpha = 0.5: total = 2 + sqrt(6); entry (0, 1): ln(4 * total / (4 * sqrt 6)).
        let p = ppmi(&counts, 0.5);
        let total = 2.0 + 6f64.sqrt();
        assert!((p.data[0] - (total / 6f64.sqrt()).ln()).abs() < 1e-12);
    }
}
