//! Percentile intervals of per-period frame rates from a document bootstrap, in
//! memory that does not grow with the number of resamples.
//!
//! Each resample gives every document of a period a Poisson(1) weight (the
//! Poisson bootstrap: the same limit as drawing documents with replacement,
//! with each resample independent of the others). A weight comes from a hash of
//! (seed, period, resample, position), so any resample can be drawn again, in
//! any order, on any thread, and results do not depend on the thread count.
//!
//! Percentiles are exact order statistics, found without storing the
//! resamples: a first pass counts the values of each series in a histogram
//! (with each bin's minimum and maximum); the bin holding a wanted rank is then
//! narrowed by more passes over the same resamples, until its values are equal
//! or few enough to keep and sort. Quantiles interpolate linearly between order
//! statistics, as numpy's `nanquantile` does; resamples without tokens (or
//! without documents) are left out, as NaN is there.

use rayon::prelude::*;

use crate::cancel;
use crate::count::csr::Csr;
use crate::error::{invalid, Result};
use crate::memory;

/// Values of one block of resamples (small enough to stay in cache while tallied).
const BLOCK_VALUES: usize = 1 << 15;
/// Budget for histogram bins over all open order statistics (6 MiB).
const BIN_BUDGET: usize = 1 << 18;
/// Budget for values kept for the final sort over all open order statistics (4 MiB).
const KEEP_BUDGET: usize = 1 << 19;

/// Interval bounds per period and frame (row-major `periods x frames`); NaN for
/// periods without documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    /// Lower bound of hits per 10,000 tokens.
    pub rate_low: Vec<f64>,
    /// Upper bound of hits per 10,000 tokens.
    pub rate_high: Vec<f64>,
    /// Lower bound of the share of documents with a hit.
    pub share_low: Vec<f64>,
    /// Upper bound of the share of documents with a hit.
    pub share_high: Vec<f64>,
}

/// What to resample: per-document hits (`docs x frames`), tokens, and the period of each document.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// Hits per document and frame.
    pub counts: &'a Csr<u32>,
    /// Tokens per document.
    pub tokens: &'a [u64],
    /// Period of each document (`< n_periods`).
    pub periods: &'a [u32],
    /// Number of periods.
    pub n_periods: usize,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `P(X <= k)` of Poisson(1), scaled to 2^64, for k = 0..19 (beyond: below 2^-64).
fn poisson1_table() -> &'static [u64; 20] {
    static TABLE: std::sync::OnceLock<[u64; 20]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [u64::MAX; 20];
        let (mut p, mut cdf) = (std::f64::consts::E.recip(), 0.0f64);
        for (k, slot) in t.iter_mut().enumerate() {
            if k > 0 {
                p /= k as f64;
            }
            cdf += p;
            *slot = if cdf >= 1.0 {
                u64::MAX
            } else {
                (cdf * 2f64.powi(64)) as u64
            };
        }
        t
    })
}

/// Poisson(1) by inversion of the uniform `bits`: how many cumulative
/// probabilities lie below it.
fn poisson1(bits: u64, t: &[u64; 20]) -> u32 {
    // Branch-free over the first 8 (P(X >= 8) < 1e-5), then the rare tail.
    let k: u32 = t[..8].iter().map(|&c| u32::from(bits >= c)).sum();
    if k < 8 {
        return k;
    }
    8 + t[8..].iter().map(|&c| u32::from(bits >= c)).sum::<u32>()
}

/// One period's documents and the frames used in it.
struct Period {
    index: u64,
    docs: Vec<u32>,
}

impl Period {
    /// Rates (first `n_frames` values) and shares (next `n_frames`) of resample `r`.
    fn resample(&self, s: &Sample, seed: u64, r: u64, out: &mut [f64]) {
        let n_frames = s.counts.n_cols;
        out.fill(0.0);
        let key = splitmix(splitmix(splitmix(seed) ^ self.index) ^ r);
        let (mut tok, mut nd) = (0.0f64, 0.0f64);
        let table = poisson1_table();
        for (i, &d) in self.docs.iter().enumerate() {
            let w = poisson1(
                splitmix(key ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93)),
                table,
            );
            let (w, d) = (w as f64, d as usize);
            tok += w * s.tokens[d] as f64;
            nd += w;
            if w == 0.0 {
                continue;
            }
            for k in s.counts.indptr[d]..s.counts.indptr[d + 1] {
                let f = s.counts.indices[k] as usize;
                out[f] += w * s.counts.data[k] as f64;
                if s.counts.data[k] > 0 {
                    out[n_frames + f] += w;
                }
            }
        }
        let (rates, shares) = out.split_at_mut(n_frames);
        for v in rates {
            *v = if tok > 0.0 { 1e4 * *v / tok } else { f64::NAN };
        }
        for v in shares {
            *v = if nd > 0.0 { *v / nd } else { f64::NAN };
        }
    }
}

fn bin_of(v: f64, lo: f64, hi: f64, n_bins: usize) -> usize {
    if hi <= lo {
        return 0;
    }
    let x = ((v - lo) / (hi - lo) * n_bins as f64).floor();
    if x <= 0.0 {
        0
    } else {
        (x as usize).min(n_bins - 1)
    }
}

#[derive(Debug, Clone, Copy)]
struct Bin {
    count: u64,
    min: f64,
    max: f64,
}

const EMPTY: Bin = Bin {
    count: 0,
    min: f64::INFINITY,
    max: f64::NEG_INFINITY,
};

/// Where the search for one order statistic of one series stands.
#[derive(Debug, Clone)]
enum Stage {
    /// Counting values of the current set into bins over `[lo, hi]`.
    Count { lo: f64, hi: f64, bins: Vec<Bin> },
    /// Keeping the current set's values (few enough) to sort.
    Keep(Vec<f64>),
    /// Found.
    Done(f64),
}

/// The search for the value of rank `rank` (0-based, ascending) among a series' valid values.
#[derive(Debug, Clone)]
struct Target {
    series: usize,
    rank: u64,
    /// Bins chosen so far: a value is in the current set when it fell in each.
    path: Vec<(f64, f64, usize)>,
    stage: Stage,
}

impl Target {
    fn holds(&self, v: f64, n_bins: usize) -> bool {
        self.path
            .iter()
            .all(|&(lo, hi, b)| bin_of(v, lo, hi, n_bins) == b)
    }

    fn see(&mut self, v: f64, n_bins: usize) {
        if !self.holds(v, n_bins) {
            return;
        }
        match &mut self.stage {
            Stage::Count { lo, hi, bins } => {
                let b = &mut bins[bin_of(v, *lo, *hi, n_bins)];
                b.count += 1;
                b.min = b.min.min(v);
                b.max = b.max.max(v);
            }
            Stage::Keep(values) => values.push(v),
            Stage::Done(_) => {}
        }
    }

    /// After a pass: narrows the search, or finds the value.
    fn settle(&mut self, n_bins: usize, keep: usize) {
        match std::mem::replace(&mut self.stage, Stage::Done(f64::NAN)) {
            Stage::Count { lo, hi, bins } => {
                let mut below = 0u64;
                for (b, bin) in bins.iter().enumerate() {
                    if self.rank < below + bin.count {
                        self.rank -= below;
                        self.path.push((lo, hi, b));
                        self.stage = if bin.min == bin.max {
                            Stage::Done(bin.min)
                        } else if bin.count as usize <= keep {
                            Stage::Keep(Vec::with_capacity(bin.count as usize))
                        } else {
                            Stage::Count {
                                lo: bin.min,
                                hi: bin.max,
                                bins: vec![EMPTY; n_bins],
                            }
                        };
                        return;
                    }
                    below += bin.count;
                }
                unreachable!("the rank lies within the counted values")
            }
            Stage::Keep(mut values) => {
                values.sort_unstable_by(f64::total_cmp);
                self.stage = Stage::Done(values[self.rank as usize]);
            }
            done => self.stage = done,
        }
    }

    fn value(&self) -> Option<f64> {
        match self.stage {
            Stage::Done(v) => Some(v),
            _ => None,
        }
    }
}

/// Percentile intervals at `level` from `n_boot` Poisson-bootstrap resamples of
/// the documents of each period. Memory grows with frames and periods, never
/// with `n_boot`; the work with `n_boot` times documents (a few passes).
pub fn intervals(s: &Sample, n_boot: usize, level: f64, seed: u64) -> Result<Intervals> {
    intervals_with(s, n_boot, level, seed, None)
}

/// [`intervals`] with a fixed number of bins and of values kept (tests: to force refinement).
fn intervals_with(
    s: &Sample,
    n_boot: usize,
    level: f64,
    seed: u64,
    sizes: Option<(usize, usize)>,
) -> Result<Intervals> {
    if !(level > 0.0 && level < 1.0) {
        return Err(invalid(format!("level must be in (0, 1), got {level}")));
    }
    if n_boot == 0 {
        return Err(invalid("the number of resamples must be positive"));
    }
    let n_docs = s.counts.n_rows();
    if s.tokens.len() != n_docs || s.periods.len() != n_docs {
        return Err(invalid(
            "counts, tokens and periods must have one row per document",
        ));
    }
    if let Some(&p) = s.periods.iter().find(|&&p| p as usize >= s.n_periods) {
        return Err(invalid(format!("period code {p} out of range")));
    }
    let n_frames = s.counts.n_cols;
    let cells = memory::product(s.n_periods, n_frames, "the interval table")?;
    let mut out = Intervals {
        rate_low: memory::filled(cells, f64::NAN, "the interval table")?,
        rate_high: memory::filled(cells, f64::NAN, "the interval table")?,
        share_low: memory::filled(cells, f64::NAN, "the interval table")?,
        share_high: memory::filled(cells, f64::NAN, "the interval table")?,
    };
    let mut docs: Vec<Vec<u32>> = vec![Vec::new(); s.n_periods];
    for (d, &p) in s.periods.iter().enumerate() {
        docs[p as usize].push(d as u32);
    }
    let a = (1.0 - level) / 2.0;
    for (p, docs) in docs.into_iter().enumerate() {
        if docs.is_empty() {
            continue;
        }
        let period = Period {
            index: p as u64,
            docs,
        };
        let q = quantiles(s, &period, n_boot, a, seed, sizes)?;
        let row = p * n_frames;
        for f in 0..n_frames {
            out.rate_low[row + f] = q[4 * f];
            out.rate_high[row + f] = q[4 * f + 1];
            out.share_low[row + f] = q[4 * (n_frames + f)];
            out.share_high[row + f] = q[4 * (n_frames + f) + 1];
        }
    }
    Ok(out)
}

/// Quantiles `a` and `1 - a` of each series (rates of each frame, then shares),
/// laid out `[series][low, high, -, -]` (4 per series).
fn quantiles(
    s: &Sample,
    period: &Period,
    n_boot: usize,
    a: f64,
    seed: u64,
    sizes: Option<(usize, usize)>,
) -> Result<Vec<f64>> {
    let n_frames = s.counts.n_cols;
    let n_series = 2 * n_frames;
    if n_frames == 0 {
        return Ok(Vec::new());
    }
    // Frames used in this period; the others are 0 in every resample with tokens.
    let mut used = vec![false; n_frames];
    for &d in &period.docs {
        let d = d as usize;
        for k in s.counts.indptr[d]..s.counts.indptr[d + 1] {
            used[s.counts.indices[k] as usize] = true;
        }
    }
    let open: Vec<usize> = (0..n_series).filter(|&i| used[i % n_frames]).collect();
    let (n_bins, keep) = sizes.unwrap_or((
        (BIN_BUDGET / (4 * open.len()).max(1)).clamp(16, 1024),
        (KEEP_BUDGET / (4 * open.len()).max(1)).clamp(64, 1 << 16),
    ));
    let block = (BLOCK_VALUES / n_series.max(1)).clamp(1, n_boot);
    let mut values = memory::filled(
        memory::product(block, n_series, "a block of resamples")?,
        0.0f64,
        "a block of resamples",
    )?;

    // Pass over every resample, handing each block to `tally` (block rows x series).
    let pass = |values: &mut Vec<f64>, tally: &mut dyn FnMut(&[f64], usize)| -> Result<()> {
        let mut r0 = 0;
        while r0 < n_boot {
            cancel::check()?;
            let rows = block.min(n_boot - r0);
            values[..rows * n_series]
                .par_chunks_mut(n_series)
                .enumerate()
                .for_each(|(i, row)| period.resample(s, seed, (r0 + i) as u64, row));
            tally(&values[..rows * n_series], rows);
            crate::progress::advance(rows as u64);
            r0 += rows;
        }
        Ok(())
    };

    // Values of a series lie between 0 and the largest per-document value: one
    // histogram per used series over that range, shared by its four order
    // statistics, and the valid (non-NaN) count of rates and shares, in one pass.
    let mut ranges = vec![1.0f64; n_series];
    ranges[..n_frames].fill(0.0);
    for &d in &period.docs {
        let d = d as usize;
        let t = s.tokens[d] as f64;
        for k in s.counts.indptr[d]..s.counts.indptr[d + 1] {
            let f = s.counts.indices[k] as usize;
            if t > 0.0 {
                ranges[f] = ranges[f].max(1e4 * s.counts.data[k] as f64 / t);
            }
        }
    }
    let mut first: Vec<(usize, Vec<Bin>)> = Vec::new();
    for &series in &open {
        first.push((
            series,
            memory::filled(n_bins, EMPTY, "bootstrap histograms")?,
        ));
    }
    let (mut valid_rate, mut valid_share) = (0u64, 0u64);
    pass(&mut values, &mut |v, rows| {
        for row in v.chunks(n_series).take(rows) {
            valid_rate += u64::from(!row[0].is_nan());
            valid_share += u64::from(!row[n_frames].is_nan());
        }
        first.par_iter_mut().for_each(|(series, bins)| {
            let hi = ranges[*series];
            for row in v.chunks(n_series).take(rows) {
                let x = row[*series];
                if !x.is_nan() {
                    let b = &mut bins[bin_of(x, 0.0, hi, n_bins)];
                    b.count += 1;
                    b.min = b.min.min(x);
                    b.max = b.max.max(x);
                }
            }
        });
    })?;
    let mut found = vec![f64::NAN; 4 * n_series];
    let mut targets: Vec<Target> = Vec::new();
    let ranks = |n: u64, q: f64| -> (u64, u64, f64) {
        let h = (n - 1) as f64 * q;
        let lo = h.floor();
        (lo as u64, (lo as u64 + 1).min(n - 1), h - lo)
    };
    let mut weights = vec![0.0f64; 2 * n_series];
    for series in 0..n_series {
        let n = if series < n_frames {
            valid_rate
        } else {
            valid_share
        };
        if n > 0 && !used[series % n_frames] {
            found[4 * series] = 0.0;
            found[4 * series + 1] = 0.0;
        }
    }
    for (series, bins) in first {
        let n = if series < n_frames {
            valid_rate
        } else {
            valid_share
        };
        if n == 0 {
            continue;
        }
        for (j, q) in [a, 1.0 - a].into_iter().enumerate() {
            let (r0, r1, w) = ranks(n, q);
            weights[2 * series + j] = w;
            for rank in [r0, r1] {
                let mut t = Target {
                    series,
                    rank,
                    path: Vec::new(),
                    stage: Stage::Count {
                        lo: 0.0,
                        hi: ranges[series],
                        bins: bins.clone(),
                    },
                };
                t.settle(n_bins, keep);
                targets.push(t);
            }
        }
    }
    // Narrow until every order statistic is found (each pass re-draws the same resamples).
    while targets.iter().any(|t| t.value().is_none()) {
        pass(&mut values, &mut |v, rows| {
            targets.par_iter_mut().for_each(|t| {
                if t.value().is_some() {
                    return;
                }
                for row in v.chunks(n_series).take(rows) {
                    let x = row[t.series];
                    if !x.is_nan() {
                        t.see(x, n_bins);
                    }
                }
            });
        })?;
        for t in targets.iter_mut() {
            t.settle(n_bins, keep);
        }
    }
    // Targets come in fours per open series: low rank pair, then high rank pair.
    for quad in targets.chunks(4) {
        let series = quad[0].series;
        let v: Vec<f64> = quad.iter().map(|t| t.value().expect("settled")).collect();
        let (wl, wh) = (weights[2 * series], weights[2 * series + 1]);
        found[4 * series] = v[0] + wl * (v[1] - v[0]);
        found[4 * series + 1] = v[2] + wh * (v[3] - v[2]);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same resamples, stored and sorted: numpy's linear `nanquantile`.
    fn by_sorting(s: &Sample, n_boot: usize, level: f64, seed: u64) -> Intervals {
        let n_frames = s.counts.n_cols;
        let cells = s.n_periods * n_frames;
        let mut out = Intervals {
            rate_low: vec![f64::NAN; cells],
            rate_high: vec![f64::NAN; cells],
            share_low: vec![f64::NAN; cells],
            share_high: vec![f64::NAN; cells],
        };
        let a = (1.0 - level) / 2.0;
        for p in 0..s.n_periods {
            let docs: Vec<u32> = (0..s.periods.len() as u32)
                .filter(|&d| s.periods[d as usize] as usize == p)
                .collect();
            if docs.is_empty() {
                continue;
            }
            let period = Period {
                index: p as u64,
                docs,
            };
            let mut all = vec![Vec::new(); 2 * n_frames];
            let mut row = vec![0.0; 2 * n_frames];
            for r in 0..n_boot {
                period.resample(s, seed, r as u64, &mut row);
                for (k, &v) in row.iter().enumerate() {
                    if !v.is_nan() {
                        all[k].push(v);
                    }
                }
            }
            let q = |v: &mut Vec<f64>, q: f64| {
                if v.is_empty() {
                    return f64::NAN;
                }
                v.sort_by(f64::total_cmp);
                let h = (v.len() - 1) as f64 * q;
                let lo = h.floor() as usize;
                let hi = (lo + 1).min(v.len() - 1);
                v[lo] + (h - lo as f64) * (v[hi] - v[lo])
            };
            for f in 0..n_frames {
                let c = p * n_frames + f;
                out.rate_low[c] = q(&mut all[f], a);
                out.rate_high[c] = q(&mut all[f], 1.0 - a);
                out.share_low[c] = q(&mut all[n_frames + f], a);
                out.share_high[c] = q(&mut all[n_frames + f], 1.0 - a);
            }
        }
        out
    }

    fn csr(rows: &[&[(u32, u32)]], n_cols: usize) -> Csr<u32> {
        let mut m = Csr {
            n_cols,
            indptr: vec![0],
            indices: vec![],
            data: vec![],
        };
        for r in rows {
            for &(c, v) in *r {
                m.indices.push(c);
                m.data.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }

    #[test]
    fn equals_sorting_every_resample() {
        // Period 0: a frequent frame 0, a rare frame 1 (mostly 0: ties), frame 2 unused;
        // period 1: one document; period 2: empty; period 3: a document without tokens.
        let mut rows: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut tokens = Vec::new();
        let mut periods = Vec::new();
        for d in 0..40u32 {
            let mut r = vec![(0, d % 4 + 1)];
            if d % 13 == 0 {
                r.push((1, 2));
            }
            rows.push(r);
            tokens.push(100 + (d as u64 * 37) % 50);
            periods.push(0);
        }
        rows.push(vec![(1, 3)]);
        tokens.push(50);
        periods.push(1);
        rows.push(vec![]);
        tokens.push(0);
        periods.push(3);
        let refs: Vec<&[(u32, u32)]> = rows.iter().map(|r| r.as_slice()).collect();
        let counts = csr(&refs, 3);
        let s = Sample {
            counts: &counts,
            tokens: &tokens,
            periods: &periods,
            n_periods: 4,
        };
        let cases = [
            (1000, 0.95, 1, None),
            (333, 0.9, 7, None),
            (5000, 0.5, 3, None),
            (5000, 0.95, 5, Some((4, 3))), // many narrowing passes
            (2000, 0.8, 9, Some((2, 1))),
        ];
        for (n_boot, level, seed, sizes) in cases {
            let got = intervals_with(&s, n_boot, level, seed, sizes).unwrap();
            let want = by_sorting(&s, n_boot, level, seed);
            for (g, w) in [
                (&got.rate_low, &want.rate_low),
                (&got.rate_high, &want.rate_high),
                (&got.share_low, &want.share_low),
                (&got.share_high, &want.share_high),
            ] {
                for (x, y) in g.iter().zip(w.iter()) {
                    assert!(x == y || (x.is_nan() && y.is_nan()), "{g:?} vs {w:?}");
                }
            }
        }
        let got = intervals(&s, 1000, 0.95, 1).unwrap();
        assert!(got.rate_low[0] < got.rate_high[0]);
        assert_eq!((got.rate_low[2], got.rate_high[2]), (0.0, 0.0)); // unused frame
        assert!(got.rate_low[3 * 2 + 1].is_nan()); // empty period
        assert!(got.rate_low[9].is_nan() && got.share_low[9] == 0.0); // no tokens
    }

    #[test]
    fn poisson_weights_have_mean_and_variance_one() {
        let n = 200_000u64;
        let w: Vec<f64> = (0..n)
            .map(|i| poisson1(splitmix(i), poisson1_table()) as f64)
            .collect();
        let mean = w.iter().sum::<f64>() / n as f64;
        let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            (mean - 1.0).abs() < 0.01 && (var - 1.0).abs() < 0.02,
            "{mean} {var}"
        );
    }
}
