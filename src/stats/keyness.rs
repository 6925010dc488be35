//! Keyness: how much more (or less) often a term occurs in a target than in a
//! reference corpus, from the 2x2 table of its counts. The statistics are those
//! of quanteda's `textstat_keyness`, so numbers agree for the same counts:
//!
//! with `a`, `b` the term's counts in target and reference, `c = T - a`,
//! `d = R - b` (T, R the totals), `N = a + b + c + d`, `E = (a + b)(a + c) / N`:
//! - chi2 = N (|ad - bc| - N·δ)² / ((a+b)(c+d)(a+c)(b+d)), δ the Yates term:
//!   0.5 when |ad - bc| >= N/2 and an expected cell is below 5, else 0 (quanteda's
//!   default); Williams' correction divides by q = 1 + (N/(a+b) + N/(c+d) - 1)(N/(a+c) + N/(b+d) - 1)/(6N);
//! - G2 = 2 Σ O ln(O / E_O + 1e-9) over the four cells, each moved by δ toward
//!   independence with the Yates correction, divided by q with Williams';
//! - pmi = ln(a / E + 1e-9);
//! - log_ratio = log2((a / T) / (b / R)), a zero count taken as 0.5 (Hardie's Log Ratio);
//! - every statistic but log_ratio carries the sign of a - E (negative: the term is
//!   rarer in the target); p = P(chi2 with 1 df >= |stat|);
//! - log_odds (Monroe, Colaresi and Quinn 2008, "Fightin' Words", eq. 16 and 18):
//!   with a Dirichlet prior α_w per term ([`Prior`]) and α0 = Σ α_w over every term
//!   counted, δ = ln((a + α)/(T + α0 - a - α)) - ln((b + α)/(R + α0 - b - α)),
//!   var(δ) ≈ 1/(a + α) + 1/(b + α), z_log_odds = δ / √var.

use rayon::prelude::*;

use crate::error::{invalid, Result};
use crate::stats::grams::GroupCounts;

const EPS: f64 = 1e-9;

/// Continuity correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    /// None.
    None,
    /// Yates' (quanteda's rule for when it applies).
    Yates,
    /// Williams'.
    Williams,
}

crate::choices!(Correction, "correction", [
    "default" => Correction::Yates, "yates" => Correction::Yates,
    "williams" => Correction::Williams, "none" => Correction::None,
]);

/// The Dirichlet prior of the log-odds measure: each term's pseudo-count α_w.
#[derive(Debug, Clone, PartialEq)]
pub enum Prior {
    /// Informative, from the data: α_w = the term's count in target and reference
    /// together (tidylo's default; Monroe et al.'s informative prior with the corpus
    /// as background).
    Corpus,
    /// Uninformative: the same α_w for every term (Monroe et al. use 0.01).
    Uniform(f64),
    /// Informative, from a background frequency list: α_w = the term's count there,
    /// one per term in the order of the counts' terms (at least 0.01, so an unseen
    /// term stays finite).
    Background(Vec<f64>),
}

impl Prior {
    /// α_w of every term, from the terms' target and reference counts.
    fn alphas(&self, target: &[u64], reference: &[u64]) -> Result<Vec<f64>> {
        let n = target.len();
        match self {
            Prior::Corpus => Ok((0..n).map(|k| (target[k] + reference[k]) as f64).collect()),
            Prior::Uniform(a) if a.is_finite() && *a > 0.0 => Ok(vec![*a; n]),
            Prior::Uniform(a) => Err(invalid(format!(
                "a uniform prior must be positive, got {a}"
            ))),
            Prior::Background(v) if v.len() == n => {
                if let Some(bad) = v.iter().find(|x| !x.is_finite() || **x < 0.0) {
                    return Err(invalid(format!(
                        "background counts must be non-negative numbers, got {bad}"
                    )));
                }
                Ok(v.iter().map(|&x| x.max(0.01)).collect())
            }
            Prior::Background(v) => Err(invalid(format!(
                "a background prior needs one count per term: {} for {n} terms",
                v.len()
            ))),
        }
    }
}

/// Monroe et al.'s log-odds ratio δ and its z-score for a term with counts `a`, `b`
/// of totals `t`, `r`, prior `alpha` and prior total `alpha0`.
fn log_odds(a: f64, b: f64, t: f64, r: f64, alpha: f64, alpha0: f64) -> (f64, f64) {
    let delta = ((a + alpha) / (t + alpha0 - a - alpha)).ln()
        - ((b + alpha) / (r + alpha0 - b - alpha)).ln();
    let var = 1.0 / (a + alpha) + 1.0 / (b + alpha);
    (delta, delta / var.sqrt())
}

struct Table {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    n: f64,
    e: f64,
}

fn table(a: f64, b: f64, t: f64, r: f64) -> Table {
    let (c, d) = (t - a, r - b);
    let n = a + b + c + d;
    Table {
        a,
        b,
        c,
        d,
        n,
        e: (a + b) * (a + c) / n,
    }
}

fn yates_delta(x: &Table) -> f64 {
    let Table { a, b, c, d, n, .. } = *x;
    let small = (a + b) * (a + c) / n < 5.0
        || (a + b) * (b + d) / n < 5.0
        || (a + c) * (c + d) / n < 5.0
        || (c + d) * (b + d) / n < 5.0;
    if (a * d - b * c).abs() >= n / 2.0 && small {
        0.5
    } else {
        0.0
    }
}

fn williams_q(x: &Table) -> f64 {
    let Table { a, b, c, d, n, .. } = *x;
    if a * b * c * d == 0.0 {
        return 1.0;
    }
    1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / (a + c) + n / (b + d) - 1.0) / (6.0 * n)
}

fn sign(x: &Table) -> f64 {
    if x.a > x.e {
        1.0
    } else {
        -1.0
    }
}

/// Signed chi-square of a term counted `a` times in the target (total `t`) and `b` in the reference (total `r`).
pub fn chi2(a: f64, b: f64, t: f64, r: f64, cor: Correction) -> f64 {
    let x = table(a, b, t, r);
    let delta = if cor == Correction::Yates {
        yates_delta(&x)
    } else {
        0.0
    };
    let q = if cor == Correction::Williams {
        williams_q(&x)
    } else {
        1.0
    };
    let num = x.n * ((x.a * x.d - x.b * x.c).abs() - x.n * delta).powi(2);
    let den = (x.a + x.b) * (x.c + x.d) * (x.a + x.c) * (x.b + x.d) * sign(&x) / q;
    num / den
}

/// Signed log-likelihood G2.
pub fn g2(a: f64, b: f64, t: f64, r: f64, cor: Correction) -> f64 {
    let x = table(a, b, t, r);
    let (mut aa, mut bb, mut cc, mut dd) = (x.a, x.b, x.c, x.d);
    if cor == Correction::Yates {
        let delta = yates_delta(&x);
        let s = if x.a * x.d - x.b * x.c > 0.0 {
            1.0
        } else {
            -1.0
        };
        aa -= s * delta;
        bb += s * delta;
        cc += s * delta;
        dd -= s * delta;
    }
    let n = x.n;
    let cell = |o: f64, row: f64, col: f64| o * (o / (row * col / n) + EPS).ln();
    let mut res = 2.0
        * (cell(aa, aa + bb, aa + cc)
            + cell(bb, aa + bb, bb + dd)
            + cell(cc, aa + cc, cc + dd)
            + cell(dd, bb + dd, cc + dd))
        * sign(&x);
    if cor == Correction::Williams {
        res /= williams_q(&x);
    }
    res
}

/// Pointwise mutual information of the term and the target, ln(a / E).
pub fn pmi(a: f64, b: f64, t: f64, r: f64) -> f64 {
    let x = table(a, b, t, r);
    (x.a / x.e + EPS).ln()
}

/// Hardie's Log Ratio: log2 of the ratio of relative frequencies (zero counts as 0.5).
pub fn log_ratio(a: f64, b: f64, t: f64, r: f64) -> f64 {
    let a = if a == 0.0 { 0.5 } else { a };
    let b = if b == 0.0 { 0.5 } else { b };
    ((a / t) / (b / r)).log2()
}

/// P(chi-square with one degree of freedom >= |stat|).
pub fn p_value(stat: f64) -> f64 {
    libm::erfc((stat.abs() / 2.0).sqrt())
}

/// Keyness of every term of a target (group 0) against a reference (group 1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keyness {
    /// Terms kept (seen at least `min_count` times in target and reference together), sorted.
    pub terms: Vec<String>,
    /// Occurrences in the target.
    pub target: Vec<u64>,
    /// Occurrences in the reference.
    pub reference: Vec<u64>,
    /// G2 with the chosen correction.
    pub g2: Vec<f64>,
    /// G2 without correction.
    pub g2_uncorrected: Vec<f64>,
    /// chi2 with the chosen correction.
    pub chi2: Vec<f64>,
    /// Pointwise mutual information.
    pub pmi: Vec<f64>,
    /// Hardie's Log Ratio.
    pub log_ratio: Vec<f64>,
    /// p of G2.
    pub p_g2: Vec<f64>,
    /// p of chi2.
    pub p_chi2: Vec<f64>,
    /// Monroe et al.'s log-odds ratio with the Dirichlet prior.
    pub log_odds: Vec<f64>,
    /// Its z-score.
    pub z_log_odds: Vec<f64>,
}

/// Keyness from counts per group (`g`: terms x 2 groups, target then reference).
/// Totals are the n-grams counted in each group, over all terms.
pub fn keyness(g: &GroupCounts, min_count: u64, cor: Correction, prior: &Prior) -> Result<Keyness> {
    let m = &g.counts;
    if m.n_cols != 2 {
        return Err(invalid("keyness needs counts for two groups"));
    }
    let mut target = vec![0u64; m.n_rows()];
    let mut reference = vec![0u64; m.n_rows()];
    for t in 0..m.n_rows() {
        for k in m.indptr[t]..m.indptr[t + 1] {
            let v = if m.indices[k] == 0 {
                &mut target
            } else {
                &mut reference
            };
            v[t] += m.data[k];
        }
    }
    let (t, r) = (
        target.iter().sum::<u64>() as f64,
        reference.iter().sum::<u64>() as f64,
    );
    if t == 0.0 || r == 0.0 {
        return Err(invalid("the target or the reference has no tokens"));
    }
    let all_alphas = prior.alphas(&target, &reference)?;
    let alpha0: f64 = all_alphas.iter().sum();
    let mut out = Keyness::default();
    let mut alphas = Vec::new();
    for (k, term) in g.terms.iter().enumerate() {
        if target[k] + reference[k] >= min_count {
            out.terms.push(term.clone());
            out.target.push(target[k]);
            out.reference.push(reference[k]);
            alphas.push(all_alphas[k]);
        }
    }
    let rows: Vec<[f64; 7]> = out
        .target
        .par_iter()
        .zip(out.reference.par_iter())
        .zip(alphas.par_iter())
        .map(|((&a, &b), &alpha)| {
            let (a, b) = (a as f64, b as f64);
            let (delta, z) = log_odds(a, b, t, r, alpha, alpha0);
            [
                g2(a, b, t, r, cor),
                g2(a, b, t, r, Correction::None),
                chi2(a, b, t, r, cor),
                pmi(a, b, t, r),
                log_ratio(a, b, t, r),
                delta,
                z,
            ]
        })
        .collect();
    for row in rows {
        out.g2.push(row[0]);
        out.g2_uncorrected.push(row[1]);
        out.chi2.push(row[2]);
        out.pmi.push(row[3]);
        out.log_ratio.push(row[4]);
        out.p_g2.push(p_value(row[0]));
        out.p_chi2.push(p_value(row[2]));
        out.log_odds.push(row[5]);
        out.z_log_odds.push(row[6]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64) {
        assert!((x - y).abs() < 1e-9 * y.abs().max(1.0), "{x} vs {y}");
    }

    #[test]
    fn log_odds_with_a_dirichlet_prior_by_hand() {
        // Three terms: counts (10, 20), (990, 9980), (0, 0) of T = 1000, R = 10000.
        let g = GroupCounts::two_groups(
            vec!["west".into(), "other".into(), "unseen".into()],
            &[10, 990, 0],
            &[20, 9980, 0],
        )
        .unwrap();
        let k = keyness(&g, 1, Correction::None, &Prior::Uniform(0.5)).unwrap();
        assert_eq!(k.terms, ["other", "west"]); // sorted, "unseen" under min_count
                                                // α = 0.5 each, α0 = 1.5 over all three terms.
        let delta =
            (10.5f64 / (1000.0 + 1.5 - 10.5)).ln() - (20.5f64 / (10000.0 + 1.5 - 20.5)).ln();
        let z = delta / (1.0 / 10.5 + 1.0 / 20.5f64).sqrt();
        close(k.log_odds[1], delta);
        close(k.z_log_odds[1], z);
        // The corpus prior: α_w = a + b (30 for "west"), α0 = T + R = 11000.
        let k = keyness(&g, 1, Correction::None, &Prior::Corpus).unwrap();
        let delta = (40.0f64 / (1000.0 + 11000.0 - 40.0)).ln()
            - (50.0f64 / (10000.0 + 11000.0 - 50.0)).ln();
        close(k.log_odds[1], delta);
        close(k.z_log_odds[1], delta / (1.0 / 40.0 + 1.0 / 50.0f64).sqrt());
        // A background list: floors at 0.01; one count per term or an error.
        let k = keyness(
            &g,
            1,
            Correction::None,
            &Prior::Background(vec![5.0, 0.0, 1.0]),
        )
        .unwrap();
        let alpha0 = 5.0 + 0.01 + 1.0; // in sorted order: other 5, unseen 0 -> 0.01, west 1
        let delta =
            (11.0f64 / (1000.0 + alpha0 - 11.0)).ln() - (21.0f64 / (10000.0 + alpha0 - 21.0)).ln();
        close(k.log_odds[1], delta);
        assert!(keyness(&g, 1, Correction::None, &Prior::Background(vec![1.0])).is_err());
        assert!(keyness(&g, 1, Correction::None, &Prior::Uniform(0.0)).is_err());
        assert!(GroupCounts::two_groups(vec!["a".into(), "a".into()], &[1, 1], &[1, 1]).is_err());
    }

    #[test]
    fn hand_computed_tables() {
        // a=10 of 1000 target tokens, b=20 of 10000 reference tokens. N=11000,
        // a+b=30, c+d=10970, a+c=1000, b+d=10000, ad-bc = 10*9980 - 20*990 = 80000.
        let chi = 11000.0 * 80000f64.powi(2) / (30.0 * 10970.0 * 1000.0 * 10000.0);
        close(chi2(10.0, 20.0, 1000.0, 10000.0, Correction::None), chi);
        // Expected cells: a: 30*1000/11000 = 2.727 < 5 and |ad-bc| >= N/2: Yates applies.
        let chi_y = 11000.0 * (80000.0f64 - 5500.0).powi(2) / (30.0 * 10970.0 * 1000.0 * 10000.0);
        close(chi2(10.0, 20.0, 1000.0, 10000.0, Correction::Yates), chi_y);
        let e = |row: f64, col: f64| row * col / 11000.0;
        let g = 2.0
            * (10.0 * (10.0 / e(30.0, 1000.0) + 1e-9).ln()
                + 20.0 * (20.0 / e(30.0, 10000.0) + 1e-9).ln()
                + 990.0 * (990.0 / e(10970.0, 1000.0) + 1e-9).ln()
                + 9980.0 * (9980.0 / e(10970.0, 10000.0) + 1e-9).ln());
        close(g2(10.0, 20.0, 1000.0, 10000.0, Correction::None), g);
        let gy = 2.0
            * (9.5 * (9.5 / e(30.0, 1000.0) + 1e-9).ln()
                + 20.5 * (20.5 / e(30.0, 10000.0) + 1e-9).ln()
                + 990.5 * (990.5 / e(10970.0, 1000.0) + 1e-9).ln()
                + 9979.5 * (9979.5 / e(10970.0, 10000.0) + 1e-9).ln());
        close(g2(10.0, 20.0, 1000.0, 10000.0, Correction::Yates), gy);
        close(
            pmi(10.0, 20.0, 1000.0, 10000.0),
            (10.0f64 / (30.0 * 1000.0 / 11000.0)).ln(),
        );
        close(
            log_ratio(10.0, 20.0, 1000.0, 10000.0),
            (0.01f64 / 0.002).log2(),
        );
        close(
            log_ratio(0.0, 20.0, 1000.0, 10000.0),
            (0.0005f64 / 0.002).log2(),
        );
        // Under-represented terms get a negative sign.
        assert!(g2(1.0, 200.0, 1000.0, 10000.0, Correction::None) < 0.0);
        assert!(chi2(1.0, 200.0, 1000.0, 10000.0, Correction::Yates) < 0.0);
        // Large cells: no Yates correction by quanteda's rule.
        close(
            chi2(500.0, 600.0, 10000.0, 20000.0, Correction::Yates),
            chi2(500.0, 600.0, 10000.0, 20000.0, Correction::None),
        );
        let q = 1.0
            + (11000.0 / 30.0 + 11000.0 / 10970.0 - 1.0)
                * (11000.0 / 1000.0 + 11000.0 / 10000.0 - 1.0)
                / 66000.0;
        close(g2(10.0, 20.0, 1000.0, 10000.0, Correction::Williams), g / q);
        // p-values of chi2 with 1 df: 3.841459 -> 0.05, 6.634897 -> 0.01.
        assert!((p_value(3.841459) - 0.05).abs() < 1e-6);
        assert!((p_value(-6.634897) - 0.01).abs() < 1e-6);
    }
}
