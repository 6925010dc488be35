//! Orthogonal Procrustes: the rotation that best maps one space onto another over the
//! words both know (Schönemann 1966; used for word spaces of different periods by
//! Hamilton, Leskovec and Jurafsky 2016).

use ndarray::Array2;

use crate::embed::linalg::{orthonormalize_rows, symmetric_eigen};

/// The orthogonal `R` minimizing `‖X R − Y‖` over the rows in `rows` (k x k, `x` and
/// `y` with k columns): `R = U Vᵀ` for the SVD `Xᵀ Y = U Σ Vᵀ`.
pub fn procrustes(x: &Array2<f64>, y: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
    let k = x.ncols();
    let xs = x.select(ndarray::Axis(0), rows);
    let ys = y.select(ndarray::Axis(0), rows);
    let m = xs.t().dot(&ys);
    // Mᵀ M = V Σ² Vᵀ; M V = U Σ: U's columns are M V's columns over their norms.
    let (values, v) = symmetric_eigen(&m.t().dot(&m));
    let mut ut = m.dot(&v).reversed_axes(); // rows: σ_i u_i
    let largest = values.iter().copied().fold(0.0f64, f64::max).sqrt();
    for (i, &val) in values.iter().enumerate() {
        let s = val.max(0.0).sqrt();
        if s > 1e-10 * largest.max(f64::MIN_POSITIVE) {
            ut.row_mut(i).mapv_inplace(|a| a / s);
        } else {
            ut.row_mut(i).fill(0.0);
        }
    }
    complete_basis(&mut ut);
    debug_assert_eq!(ut.nrows(), k);
    ut.t().dot(&v.t())
}

/// Makes the rows of `q` (some rows zero: directions with no singular value) an
/// orthonormal basis: zero rows filled from the standard basis, then orthonormalized.
fn complete_basis(q: &mut Array2<f64>) {
    let k = q.nrows();
    let mut next = 0;
    loop {
        let mut rows = q.clone();
        if orthonormalize_rows(&mut rows) == k {
            *q = rows;
            return;
        }
        let zero = (0..k).find(|&i| rows.row(i).iter().all(|&x| x == 0.0));
        match zero {
            Some(i) if next < k => {
                *q = rows;
                q.row_mut(i).fill(0.0);
                q[[i, next]] = 1.0;
                next += 1;
            }
            _ => {
                *q = rows;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::linalg::Normal;

    #[test]
    fn recovers_a_planted_rotation() {
        let mut n = Normal::new(5);
        let x = n.matrix(50, 4);
        let mut q = n.matrix(4, 4);
        orthonormalize_rows(&mut q);
        let y = x.dot(&q);
        let rows: Vec<usize> = (0..50).collect();
        let r = procrustes(&x, &y, &rows);
        assert!((&r - &q).iter().all(|d| d.abs() < 1e-9), "{r:?} vs {q:?}");
        // Only some rows shared: still the rotation (4 rows of rank 4 suffice).
        let r = procrustes(&x, &y, &[0, 3, 7, 9, 11]);
        assert!((&r - &q).iter().all(|d| d.abs() < 1e-9));
        // Rank-deficient: the result is still orthogonal.
        let r = procrustes(&x, &y, &[0, 1]);
        let eye = r.t().dot(&r);
        assert!((&eye - &Array2::<f64>::eye(4))
            .iter()
            .all(|d| d.abs() < 1e-9));
    }
}
