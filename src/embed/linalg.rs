//! Small dense linear algebra on `ndarray` matrices: seeded normal draws,
//! orthonormal rows (modified Gram-Schmidt, twice), and the eigen-decomposition of a
//! small symmetric matrix (Householder and QL). Serial and deterministic; the matrices here
//! are at most a few hundred rows of basis vectors.

use ndarray::{Array1, Array2};

/// Standard normal draws from a seed (SplitMix64 and Box-Muller): the same numbers on
/// every machine and thread count.
#[derive(Debug, Clone)]
pub struct Normal {
    state: u64,
    spare: Option<f64>,
}

impl Normal {
    /// Draws from `seed`.
    pub fn new(seed: u64) -> Self {
        Normal {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
            spare: None,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// The next standard normal draw.
    pub fn draw(&mut self) -> f64 {
        if let Some(s) = self.spare.take() {
            return s;
        }
        let (u, v) = (self.uniform(), self.uniform());
        let r = (-2.0 * u.ln()).sqrt();
        let t = std::f64::consts::TAU * v;
        self.spare = Some(r * t.sin());
        r * t.cos()
    }

    /// A `rows` x `cols` matrix of draws, row by row.
    pub fn matrix(&mut self, rows: usize, cols: usize) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || self.draw())
    }
}

/// Makes the rows of `m` orthonormal in place; a row that depends on the rows before
/// it becomes zero. Returns the number of non-zero rows. Well-conditioned rows (the
/// usual case inside the SVD) take Cholesky QR twice (Fukaya et al. 2014: orthogonal to
/// working precision, two small matrix products); otherwise modified Gram-Schmidt, run
/// twice.
pub fn orthonormalize_rows(m: &mut Array2<f64>) -> usize {
    if let Some(q) = cholesky_qr(m).and_then(|q| cholesky_qr(&q)) {
        *m = q;
        return m.nrows();
    }
    gram_schmidt(m)
}

/// `L⁻¹ M` for the Cholesky factor `L` of `M Mᵀ`: rows spanning the same space, with
/// `Q Qᵀ = I` up to the conditioning of `M`. None when a pivot is not clearly positive
/// (dependent or nearly dependent rows), for Gram-Schmidt to handle.
fn cholesky_qr(m: &Array2<f64>) -> Option<Array2<f64>> {
    let g = m.dot(&m.t());
    let k = g.nrows();
    let mut l = Array2::<f64>::zeros((k, k));
    for i in 0..k {
        for j in 0..=i {
            let mut sum = g[[i, j]];
            for p in 0..j {
                sum -= l[[i, p]] * l[[j, p]];
            }
            if i == j {
                if sum.is_nan() || sum <= 0.0 || sum <= 1e-10 * g[[i, i]] {
                    return None;
                }
                l[[i, i]] = sum.sqrt();
            } else {
                l[[i, j]] = sum / l[[j, j]];
            }
        }
    }
    // L⁻¹ by forward substitution, then one matrix product.
    let mut inv = Array2::<f64>::zeros((k, k));
    for c in 0..k {
        for i in c..k {
            let mut sum = if i == c { 1.0 } else { 0.0 };
            for p in c..i {
                sum -= l[[i, p]] * inv[[p, c]];
            }
            inv[[i, c]] = sum / l[[i, i]];
        }
    }
    Some(inv.dot(m))
}

/// Modified Gram-Schmidt, run twice (enough for orthogonality to working precision);
/// dependent rows become zero. Returns the number of non-zero rows.
fn gram_schmidt(m: &mut Array2<f64>) -> usize {
    let rows = m.nrows();
    let mut norms0: Vec<f64> = (0..rows).map(|i| m.row(i).dot(&m.row(i)).sqrt()).collect();
    let mut kept = vec![true; rows];
    for _pass in 0..2 {
        for i in 0..rows {
            let (done, mut rest) = m.view_mut().split_at(ndarray::Axis(0), i);
            let mut row = rest.row_mut(0);
            for (j, _) in kept[..i].iter().enumerate().filter(|(_, &k)| k) {
                let p = row.dot(&done.row(j));
                row.scaled_add(-p, &done.row(j));
            }
            let n = m.row(i).dot(&m.row(i)).sqrt();
            // A row that lost all but rounding noise to the rows before it is dependent.
            if !kept[i] || n <= 1e-10 * norms0[i].max(f64::MIN_POSITIVE) || n == 0.0 {
                kept[i] = false;
                m.row_mut(i).fill(0.0);
            } else {
                m.row_mut(i).mapv_inplace(|x| x / n);
                norms0[i] = 1.0;
            }
        }
    }
    kept.iter().filter(|&&k| k).count()
}

/// Eigenvalues (descending) and eigenvectors (the columns, in the same order) of the
/// symmetric matrix `a`: Householder reduction to tridiagonal form and the implicit QL
/// method (`tred2` and `tql2` of EISPACK, as JAMA writes them), O(n³).
pub fn symmetric_eigen(a: &Array2<f64>) -> (Array1<f64>, Array2<f64>) {
    let n = a.nrows();
    assert_eq!(n, a.ncols(), "symmetric_eigen needs a square matrix");
    if n == 0 {
        return (Array1::zeros(0), Array2::zeros((0, 0)));
    }
    let mut v = a.clone();
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    tridiagonalize(&mut v, &mut d, &mut e);
    diagonalize(&mut v, &mut d, &mut e);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| d[j].total_cmp(&d[i]).then(i.cmp(&j)));
    let values = Array1::from_iter(order.iter().map(|&i| d[i]));
    let mut vectors = Array2::<f64>::zeros((n, n));
    for (col, &i) in order.iter().enumerate() {
        vectors.column_mut(col).assign(&v.column(i));
    }
    (values, vectors)
}

/// Householder reduction of the symmetric `v` to tridiagonal form (`tred2`): diagonal
/// in `d`, sub-diagonal in `e`, the transformation left in `v`.
fn tridiagonalize(v: &mut Array2<f64>, d: &mut [f64], e: &mut [f64]) {
    let n = d.len();
    for j in 0..n {
        d[j] = v[[n - 1, j]];
    }
    for i in (1..n).rev() {
        let scale: f64 = d[..i].iter().map(|x| x.abs()).sum();
        let mut h = 0.0;
        if scale == 0.0 {
            e[i] = d[i - 1];
            for j in 0..i {
                d[j] = v[[i - 1, j]];
                v[[i, j]] = 0.0;
                v[[j, i]] = 0.0;
            }
        } else {
            for x in d[..i].iter_mut() {
                *x /= scale;
                h += *x * *x;
            }
            let f = d[i - 1];
            let g = if f > 0.0 { -h.sqrt() } else { h.sqrt() };
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            e[..i].iter_mut().for_each(|x| *x = 0.0);
            for j in 0..i {
                let f = d[j];
                v[[j, i]] = f;
                let mut g = e[j] + v[[j, j]] * f;
                for k in j + 1..i {
                    g += v[[k, j]] * d[k];
                    e[k] += v[[k, j]] * f;
                }
                e[j] = g;
            }
            let mut f = 0.0;
            for j in 0..i {
                e[j] /= h;
                f += e[j] * d[j];
            }
            let hh = f / (h + h);
            for j in 0..i {
                e[j] -= hh * d[j];
            }
            for j in 0..i {
                let (f, g) = (d[j], e[j]);
                for k in j..i {
                    v[[k, j]] -= f * e[k] + g * d[k];
                }
                d[j] = v[[i - 1, j]];
                v[[i, j]] = 0.0;
            }
        }
        d[i] = h;
    }
    for i in 0..n - 1 {
        v[[n - 1, i]] = v[[i, i]];
        v[[i, i]] = 1.0;
        let h = d[i + 1];
        if h != 0.0 {
            for k in 0..=i {
                d[k] = v[[k, i + 1]] / h;
            }
            for j in 0..=i {
                let mut g = 0.0;
                for k in 0..=i {
                    g += v[[k, i + 1]] * v[[k, j]];
                }
                for k in 0..=i {
                    v[[k, j]] -= g * d[k];
                }
            }
        }
        for k in 0..=i {
            v[[k, i + 1]] = 0.0;
        }
    }
    for j in 0..n {
        d[j] = v[[n - 1, j]];
        v[[n - 1, j]] = 0.0;
    }
    v[[n - 1, n - 1]] = 1.0;
    e[0] = 0.0;
}

/// The implicit QL method on the tridiagonal `d`, `e` (`tql2`): eigenvalues in `d`,
/// eigenvectors accumulated into `v`'s columns.
fn diagonalize(v: &mut Array2<f64>, d: &mut [f64], e: &mut [f64]) {
    let n = d.len();
    for i in 1..n {
        e[i - 1] = e[i];
    }
    e[n - 1] = 0.0;
    let (mut f, mut tst1) = (0.0f64, 0.0f64);
    let eps = f64::EPSILON;
    for l in 0..n {
        tst1 = tst1.max(d[l].abs() + e[l].abs());
        let mut m = l;
        while m < n - 1 && e[m].abs() > eps * tst1 {
            m += 1;
        }
        if m > l {
            for _iter in 0..64 {
                let g = d[l];
                let p = (d[l + 1] - g) / (2.0 * e[l]);
                let r = if p < 0.0 { -p.hypot(1.0) } else { p.hypot(1.0) };
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                let dl1 = d[l + 1];
                let h = g - d[l];
                for x in d[l + 2..].iter_mut() {
                    *x -= h;
                }
                f += h;
                let mut p = d[m];
                let (mut c, mut c2, mut c3) = (1.0, 1.0, 1.0);
                let el1 = e[l + 1];
                let (mut s, mut s2) = (0.0, 0.0);
                for i in (l..m).rev() {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    let g = c * e[i];
                    let h = c * p;
                    let r = p.hypot(e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    for k in 0..n {
                        let h = v[[k, i + 1]];
                        v[[k, i + 1]] = s * v[[k, i]] + c * h;
                        v[[k, i]] = c * v[[k, i]] - s * h;
                    }
                }
                let p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                if e[l].abs() <= eps * tst1 {
                    break;
                }
            }
        }
        d[l] += f;
        e[l] = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn normal_draws_are_seeded_and_standard() {
        let a: Vec<f64> = (0..5)
            .map({
                let mut n = Normal::new(3);
                move |_| n.draw()
            })
            .collect();
        let b: Vec<f64> = (0..5)
            .map({
                let mut n = Normal::new(3);
                move |_| n.draw()
            })
            .collect();
        assert_eq!(a, b);
        let mut n = Normal::new(1);
        let xs: Vec<f64> = (0..200_000).map(|_| n.draw()).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.01,
            "{mean} {var}"
        );
    }

    #[test]
    fn well_conditioned_rows_take_cholesky_qr_and_agree_with_gram_schmidt() {
        let mut n = Normal::new(2);
        let m = n.matrix(12, 500);
        let mut fast = m.clone();
        assert_eq!(orthonormalize_rows(&mut fast), 12);
        let mut slow = m.clone();
        assert_eq!(gram_schmidt(&mut slow), 12);
        assert!((fast.dot(&fast.t()) - Array2::<f64>::eye(12))
            .iter()
            .all(|d| d.abs() < 1e-12));
        // The same basis, row by row (both keep the row order and sign).
        assert!((&fast - &slow).iter().all(|d| d.abs() < 1e-9));
    }

    #[test]
    fn rows_become_orthonormal_and_dependent_rows_zero() {
        let mut m = array![[3.0, 4.0, 0.0], [6.0, 8.0, 0.0], [1.0, 0.0, 1.0]];
        assert_eq!(orthonormalize_rows(&mut m), 2);
        assert!(m.row(1).iter().all(|&x| x == 0.0));
        assert!((m.row(0).dot(&m.row(0)) - 1.0).abs() < 1e-12);
        assert!((m.row(2).dot(&m.row(2)) - 1.0).abs() < 1e-12);
        assert!(m.row(0).dot(&m.row(2)).abs() < 1e-12);
        // Row 0 is (3, 4, 0) / 5.
        assert!((m[[0, 0]] - 0.6).abs() < 1e-12 && (m[[0, 1]] - 0.8).abs() < 1e-12);
    }

    #[test]
    fn eigen_of_known_matrices() {
        // Eigenvalues of [[2, 1], [1, 2]] are 3 and 1 with vectors (1, 1) and (1, -1).
        let (vals, vecs) = symmetric_eigen(&array![[2.0, 1.0], [1.0, 2.0]]);
        assert!((vals[0] - 3.0).abs() < 1e-12 && (vals[1] - 1.0).abs() < 1e-12);
        let r = std::f64::consts::FRAC_1_SQRT_2;
        assert!(
            (vecs[[0, 0]].abs() - r).abs() < 1e-12 && (vecs[[1, 0]] - vecs[[0, 0]]).abs() < 1e-12
        );
        // A random symmetric matrix is rebuilt from its decomposition.
        let mut n = Normal::new(9);
        let x = n.matrix(6, 6);
        let s = &x + &x.t();
        let (vals, vecs) = symmetric_eigen(&s);
        let rebuilt = vecs.dot(&Array2::from_diag(&vals)).dot(&vecs.t());
        assert!((&rebuilt - &s).iter().all(|d| d.abs() < 1e-10));
        assert!(vals.windows(2).into_iter().all(|w| w[0] >= w[1]));
        // Repeated eigenvalues, a zero matrix and a 1 x 1 matrix.
        let (vals, vecs) = symmetric_eigen(&Array2::<f64>::eye(3));
        assert_eq!(vals.to_vec(), vec![1.0, 1.0, 1.0]);
        assert!((vecs.t().dot(&vecs) - Array2::<f64>::eye(3))
            .iter()
            .all(|d| d.abs() < 1e-12));
        let (vals, _) = symmetric_eigen(&Array2::<f64>::zeros((4, 4)));
        assert_eq!(vals.to_vec(), vec![0.0; 4]);
        let (vals, vecs) = symmetric_eigen(&array![[-2.5]]);
        assert_eq!((vals[0], vecs[[0, 0]].abs()), (-2.5, 1.0));
        // 120 x 120 (the size of the SVD's small problem).
        let x = n.matrix(120, 120);
        let s = x.t().dot(&x);
        let (vals, vecs) = symmetric_eigen(&s);
        let rebuilt = vecs.dot(&Array2::from_diag(&vals)).dot(&vecs.t());
        assert!((&rebuilt - &s).iter().all(|d| d.abs() < 1e-8));
        assert!(vals.iter().all(|&v| v > -1e-9));
    }
}
