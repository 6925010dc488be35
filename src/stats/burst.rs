//! Emerging terms: Kleinberg's two-state burst detection for counts in
//! consecutive periods ("batched arrivals", Kleinberg 2003, section 4), and a
//! simple ratio score.
//!
//! In period t the term occurs r_t times among d_t tokens. The base state emits
//! at the term's overall rate p0 = Σr / Σd, the burst state at p1 = min(s·p0, 0.9999).
//! The cost of state i in period t is -ln[C(d_t, r_t) p_i^r_t (1 - p_i)^(d_t - r_t)]
//! (the binomial coefficient cancels between states and is left out); entering
//! the burst state costs γ·ln(T) (T periods), leaving it costs nothing. The
//! cheapest state sequence is found by dynamic programming (Viterbi). A burst is
//! a maximal run of burst states; its weight is Σ (cost_0 - cost_1) over the run.

/// One burst: periods `[start, end]` (inclusive) and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burst {
    /// First period.
    pub start: usize,
    /// Last period.
    pub end: usize,
    /// Σ over the run of cost in the base state minus cost in the burst state.
    pub weight: f64,
}

fn cost(r: f64, d: f64, p: f64) -> f64 {
    -(r * p.ln() + (d - r) * (1.0 - p).ln())
}

/// Bursts of a term counted `r[t]` times among `d[t]` tokens per period.
/// Periods with `d[t] == 0` cost nothing in either state.
pub fn bursts(r: &[u64], d: &[u64], s: f64, gamma: f64) -> Vec<Burst> {
    let n = r.len();
    let (sr, sd): (u64, u64) = (r.iter().sum(), d.iter().sum());
    if n == 0 || sr == 0 || sd == 0 {
        return Vec::new();
    }
    let p0 = sr as f64 / sd as f64;
    let p1 = (s * p0).min(0.9999);
    if p1 <= p0 {
        return Vec::new();
    }
    let up = gamma * (n as f64).ln();
    let c = |t: usize, p: f64| {
        if d[t] == 0 {
            0.0
        } else {
            cost(r[t] as f64, d[t] as f64, p)
        }
    };
    // best[t][i]: cheapest cost of periods 0..=t ending in state i; from[t][i]: previous state.
    let mut best = vec![[0.0f64; 2]; n];
    let mut from = vec![[0usize; 2]; n];
    best[0] = [c(0, p0), c(0, p1) + up];
    for t in 1..n {
        let (c0, c1) = (c(t, p0), c(t, p1));
        // To base: from base or from burst (leaving is free).
        let (b0, f0) = if best[t - 1][0] <= best[t - 1][1] {
            (best[t - 1][0], 0)
        } else {
            (best[t - 1][1], 1)
        };
        // To burst: staying, or entering from base at cost `up`.
        let (b1, f1) = if best[t - 1][1] <= best[t - 1][0] + up {
            (best[t - 1][1], 1)
        } else {
            (best[t - 1][0] + up, 0)
        };
        best[t] = [b0 + c0, b1 + c1];
        from[t] = [f0, f1];
    }
    let mut states = vec![0usize; n];
    states[n - 1] = if best[n - 1][1] < best[n - 1][0] {
        1
    } else {
        0
    };
    for t in (1..n).rev() {
        states[t - 1] = from[t][states[t]];
    }
    let mut out = Vec::new();
    let mut t = 0;
    while t < n {
        if states[t] == 1 {
            let start = t;
            let mut w = 0.0;
            while t < n && states[t] == 1 {
                w += c(t, p0) - c(t, p1);
                t += 1;
            }
            out.push(Burst {
                start,
                end: t - 1,
                weight: w,
            });
        } else {
            t += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_planted_rise_and_nothing_in_flat_series() {
        let d = vec![10_000u64; 10];
        let r = [1u64, 0, 2, 1, 1, 0, 40, 55, 60, 2];
        let b = bursts(&r, &d, 2.0, 1.0);
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!((b[0].start, b[0].end), (6, 8));
        assert!(b[0].weight > 10.0);
        assert!(bursts(&[5, 5, 5, 5, 5, 5], &[1000; 6], 2.0, 1.0).is_empty());
        assert!(bursts(&[0, 0, 0], &[10, 10, 10], 2.0, 1.0).is_empty());
        // A higher gamma makes short bursts too expensive.
        assert!(bursts(&[0, 0, 9, 0, 0, 0], &[1000; 6], 2.0, 30.0).is_empty());
    }
}
