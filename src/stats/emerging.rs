//! Emerging terms over periods, from n-gram counts per period ([`GroupCounts`]):
//! Kleinberg bursts ([`crate::stats::burst`]) or a ratio score. One row per burst
//! (or per hot term and period); the caller labels periods and sorts.
//!
//! Per-period totals are the n-grams counted in each period (all terms); a term is
//! scored when seen at least `min_count` times in all periods together.
//! - burst: `score` is the burst's weight; `count` the term's occurrences in the
//!   burst's periods; `per_10k` its rate there.
//! - ratio: for period p >= 1 where the term occurs at least `min_count` times,
//!   `score = log2(rate_p / mean(rate_q for the window periods q before p))` with
//!   `rate = (count + 0.5) / (total + 1)`.

use rayon::prelude::*;

use crate::error::{invalid, Result};
use crate::stats::burst::bursts;
use crate::stats::grams::GroupCounts;

/// How a term's rise is scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// Kleinberg's two-state bursts: burst rate `s` times the base rate, entry cost `gamma`.
    Burst {
        /// Rate multiplier of the burst state (> 1).
        s: f64,
        /// Cost of entering the burst state, times ln(periods) (>= 0).
        gamma: f64,
    },
    /// The period's rate against the mean rate of the `window` periods before it.
    Ratio {
        /// Periods averaged before each (>= 1).
        window: usize,
    },
}

/// The method's name as users pass it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodName {
    /// [`Method::Burst`].
    Burst,
    /// [`Method::Ratio`].
    Ratio,
}

crate::choices!(MethodName, "method", ["burst" => MethodName::Burst, "ratio" => MethodName::Ratio]);

impl Method {
    /// The method named `name` with its parameters, checked.
    pub fn new(name: MethodName, s: f64, gamma: f64, window: usize) -> Result<Method> {
        match name {
            MethodName::Burst if s.is_nan() || s <= 1.0 => {
                Err(invalid(format!("s must be > 1, got {s}")))
            }
            MethodName::Burst if gamma.is_nan() || gamma < 0.0 => {
                Err(invalid(format!("gamma must be >= 0, got {gamma}")))
            }
            MethodName::Burst => Ok(Method::Burst { s, gamma }),
            MethodName::Ratio if window == 0 => Err(invalid(format!(
                "window must be a positive int, got {window}"
            ))),
            MethodName::Ratio => Ok(Method::Ratio { window }),
        }
    }
}

/// One emerging term: periods `start..=end` (indices), its score and rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Emerging {
    /// Row of the term in the counts.
    pub term: usize,
    /// First period.
    pub start: usize,
    /// Last period.
    pub end: usize,
    /// Burst weight, or log2 ratio.
    pub score: f64,
    /// Occurrences in `start..=end`.
    pub count: u64,
    /// Occurrences per 10,000 n-grams in `start..=end`.
    pub per_10k: f64,
    /// Occurrences per 10,000 n-grams over all periods.
    pub overall_per_10k: f64,
}

/// Emerging terms of `g` (terms x periods): bursts in term order, or ratio rows
/// ordered by period, then term.
pub fn emerging(g: &GroupCounts, min_count: u64, method: Method) -> Result<Vec<Emerging>> {
    let m = &g.counts;
    let n_periods = m.n_cols;
    let mut totals = vec![0u64; n_periods];
    for (&p, &c) in m.indices.iter().zip(&m.data) {
        totals[p as usize] += c;
    }
    let grand = totals.iter().sum::<u64>().max(1) as f64;
    let inv: Vec<f64> = totals.iter().map(|&t| 1.0 / (t as f64 + 1.0)).collect();
    let rows: Vec<Vec<Emerging>> = (0..m.n_rows())
        .into_par_iter()
        .map(|t| {
            let (a, b) = (m.indptr[t], m.indptr[t + 1]);
            let (periods, counts) = (&m.indices[a..b], &m.data[a..b]);
            let total: u64 = counts.iter().sum();
            if total < min_count || crate::cancel::requested() {
                return Vec::new();
            }
            let overall_per_10k = 1e4 * total as f64 / grand;
            match method {
                Method::Burst { s, gamma } => {
                    // One term's series at a time: memory for periods, not terms x periods.
                    let mut r = vec![0u64; n_periods];
                    for (&p, &c) in periods.iter().zip(counts) {
                        r[p as usize] = c;
                    }
                    bursts(&r, &totals, s, gamma)
                        .into_iter()
                        .map(|bu| {
                            let count: u64 = r[bu.start..=bu.end].iter().sum();
                            let d: u64 = totals[bu.start..=bu.end].iter().sum();
                            Emerging {
                                term: t,
                                start: bu.start,
                                end: bu.end,
                                score: bu.weight,
                                count,
                                per_10k: 1e4 * count as f64 / d as f64,
                                overall_per_10k,
                            }
                        })
                        .collect()
                }
                Method::Ratio { window } => periods
                    .iter()
                    .zip(counts)
                    .filter(|&(&p, &c)| p >= 1 && c >= min_count)
                    .map(|(&p, &c)| {
                        let p = p as usize;
                        let lo = p.saturating_sub(window);
                        // Mean of (count_q + 0.5) / (total_q + 1) over q in lo..p;
                        // periods (sorted within the row) without the term count 0.
                        let mut prev: f64 = (lo..p).map(|q| 0.5 * inv[q]).sum();
                        for (&q, &cq) in periods.iter().zip(counts) {
                            if (lo..p).contains(&(q as usize)) {
                                prev += cq as f64 * inv[q as usize];
                            }
                        }
                        prev /= (p - lo) as f64;
                        Emerging {
                            term: t,
                            start: p,
                            end: p,
                            score: ((c as f64 + 0.5) * inv[p] / prev).log2(),
                            count: c,
                            per_10k: 1e4 * c as f64 / totals[p].max(1) as f64,
                            overall_per_10k,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    crate::cancel::check()?;
    let mut out: Vec<Emerging> = rows.into_iter().flatten().collect();
    if let Method::Ratio { .. } = method {
        out.sort_by_key(|e| (e.start, e.term));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choice::Choice;
    use crate::count::csr::Csr;

    /// Two terms over four periods: "a" 1, 1, 8, 1; "b" 5 in period 0 only.
    fn counts() -> GroupCounts {
        GroupCounts {
            terms: vec!["a".into(), "b".into()],
            counts: Csr {
                n_cols: 4,
                indptr: vec![0, 4, 5],
                indices: vec![0, 1, 2, 3, 0],
                data: vec![1, 1, 8, 1, 5],
            },
            tokens: vec![0; 4],
        }
    }

    #[test]
    fn ratio_scores_by_hand() {
        let rows = emerging(&counts(), 2, Method::Ratio { window: 2 }).unwrap();
        // Totals per period: 6, 1, 8, 1. Only "a" in period 2 has >= 2 occurrences there.
        assert_eq!(rows.len(), 1);
        let e = rows[0];
        assert_eq!((e.term, e.start, e.end, e.count), (0, 2, 2, 8));
        let rate = |c: f64, t: f64| (c + 0.5) / (t + 1.0);
        let want = (rate(8.0, 8.0) / ((rate(1.0, 6.0) + rate(1.0, 1.0)) / 2.0)).log2();
        assert!((e.score - want).abs() < 1e-12, "{} vs {want}", e.score);
        assert!((e.per_10k - 1e4).abs() < 1e-9);
        assert!((e.overall_per_10k - 1e4 * 11.0 / 16.0).abs() < 1e-9);
    }

    #[test]
    fn bursts_and_checks() {
        let rows = emerging(&counts(), 1, Method::Burst { s: 2.0, gamma: 0.5 }).unwrap();
        // "a" occurs at rate 1 in periods 1..=3 (1/1, 8/8, 1/1) against p0 = 11/16
        // overall: one burst over 1..=3 with weight sum r_t (ln p1 - ln p0), p1 = 0.9999.
        let a = rows.iter().find(|e| e.term == 0).expect("a bursts");
        assert_eq!((a.start, a.end, a.count), (1, 3, 10));
        let weight = 10.0 * (0.9999f64.ln() - (11.0f64 / 16.0).ln());
        assert!((a.score - weight).abs() < 1e-9, "{} vs {weight}", a.score);
        assert!((a.per_10k - 1e4).abs() < 1e-9);
        assert!(Method::new(MethodName::Burst, 1.0, 1.0, 3).is_err());
        assert!(Method::new(MethodName::Ratio, 2.0, 1.0, 0).is_err());
        assert_eq!(MethodName::parse("ratio").unwrap(), MethodName::Ratio);
    }
}
