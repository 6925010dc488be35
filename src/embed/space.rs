//! The two jobs of word spaces: dictionary expansion (units ranked by cosine
//! similarity to a seed dictionary's unit in one space of the whole corpus) and
//! semantic drift (one space per period over the same units, each aligned to the
//! previous period's by Procrustes; a unit's drift is one minus the cosine of its
//! vectors in the two).

use ndarray::{Array2, Axis};
use rayon::prelude::*;

use crate::count::csr::Csr;
use crate::embed::align::procrustes;
use crate::embed::cooccur::count;
use crate::embed::ppmi::ppmi;
use crate::embed::svd::truncated_svd;
use crate::embed::units::{UnitOptions, Units};
use crate::error::{invalid, Result};
use crate::frames::scan::Matches;
use crate::text::tokenized::TokenizedCorpus;

/// How a space is learned.
#[derive(Debug, Clone)]
pub struct SpaceOptions {
    /// Dimensions kept by the SVD.
    pub dim: usize,
    /// Co-occurrence window, in units either side.
    pub window: usize,
    /// Context distribution smoothing of PPMI.
    pub alpha: f64,
    /// Exponent of the singular values in the vectors (`U Σ^p`; 0.5 as Levy, Goldberg
    /// and Dagan recommend over 1).
    pub eig_weight: f64,
    /// Power iterations of the randomized SVD.
    pub power_iters: usize,
    /// Seed of the SVD's random directions.
    pub seed: u64,
}

impl Default for SpaceOptions {
    fn default() -> Self {
        SpaceOptions {
            dim: 100,
            window: 5,
            alpha: 0.75,
            eig_weight: 0.5,
            power_iters: 4,
            seed: 1,
        }
    }
}

/// Unit vectors, one row per unit, of length one (zero for units with no context).
pub fn vectors(counts: &Csr<u64>, opts: &SpaceOptions) -> Result<Array2<f64>> {
    let p = ppmi(counts, opts.alpha);
    let (u, s) = truncated_svd(&p, opts.dim, 10, opts.power_iters, opts.seed)?;
    let mut w = u * s.mapv(|x| x.powf(opts.eig_weight)).insert_axis(Axis(0));
    for mut row in w.rows_mut() {
        let n = row.dot(&row).sqrt();
        if n > 0.0 {
            row.mapv_inplace(|x| x / n);
        }
    }
    Ok(w)
}

/// Units and their cosine similarity to each seed frame.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// The units (seed frames last).
    pub units: Units,
    /// Occurrences of each unit.
    pub occurrences: Vec<u64>,
    /// Seeds x units: cosine similarity (0 for units with no context).
    pub similarity: Array2<f64>,
}

/// Learns one space over the corpus with each frame of `seeds` (named `seed_names`,
/// hits in `matches`) as a unit, and scores every unit against each seed.
pub fn expand(
    tc: &TokenizedCorpus,
    matches: &Matches,
    seed_names: &[String],
    unit_opts: &UnitOptions,
    opts: &SpaceOptions,
) -> Result<Expansion> {
    let units = Units::build(tc, unit_opts, seed_names)?;
    let co = count(
        tc,
        &units,
        Some(matches),
        opts.window,
        &vec![0; tc.n_docs()],
        1,
    )?;
    let occurrences = co.occurrences.into_iter().next().expect("one group");
    let w = vectors(&co.counts[0], opts)?;
    let first_seed = units.len() - seed_names.len();
    let mut similarity = Array2::zeros((seed_names.len(), units.len()));
    for s in 0..seed_names.len() {
        let v = w.row(first_seed + s);
        similarity.row_mut(s).assign(&w.dot(&v));
    }
    Ok(Expansion {
        units,
        occurrences,
        similarity,
    })
}

/// Spaces per period: drift of every unit, and the targets' similarities.
#[derive(Debug, Clone)]
pub struct Drift {
    /// The units.
    pub units: Units,
    /// The targets' units.
    pub targets: Vec<u32>,
    /// Periods x units: occurrences.
    pub occurrences: Array2<u64>,
    /// Periods x units: one minus the cosine between the unit's vector in the period
    /// and in the previous period with a space (NaN where the unit is rarer than
    /// `min_count` in either, or in the first period).
    pub drift: Array2<f64>,
    /// Per target, periods x units: cosine similarity to the target within the
    /// period's space (NaN where either is rarer than `min_count` there).
    pub similarity: Vec<Array2<f64>>,
}

/// Learns one space per group of documents (`group[d]`, [`NO_ID`](crate::ids::NO_ID) to leave out; groups
/// in time order) over units found in the whole corpus, the `targets` (token lists,
/// words or two-word phrases) always among them, and aligns each to the previous one
/// over the units seen at least `min_count` times in both.
pub fn drift(
    tc: &TokenizedCorpus,
    group: &[u32],
    n_groups: usize,
    targets: &[Vec<String>],
    unit_opts: &UnitOptions,
    opts: &SpaceOptions,
) -> Result<Drift> {
    let mut uo = unit_opts.clone();
    uo.forced = targets.to_vec();
    let units = Units::build(tc, &uo, &[])?;
    let target_units = targets
        .iter()
        .map(|t| {
            units.find_tokens(t, &uo).ok_or_else(|| {
                invalid(format!(
                    "{:?} is not in the corpus{}",
                    t.join(" "),
                    if t.len() > 1 {
                        " as adjacent words"
                    } else {
                        ""
                    }
                ))
            })
        })
        .collect::<Result<Vec<u32>>>()?;
    let co = count(tc, &units, None, opts.window, group, n_groups)?;
    let n = units.len();
    let mut occurrences = Array2::<u64>::zeros((n_groups, n));
    for (g, o) in co.occurrences.iter().enumerate() {
        occurrences
            .row_mut(g)
            .assign(&ndarray::ArrayView1::from(o.as_slice()));
    }
    let mut drift = Array2::<f64>::from_elem((n_groups, n), f64::NAN);
    let mut similarity = vec![Array2::<f64>::from_elem((n_groups, n), f64::NAN); targets.len()];
    let min = unit_opts.min_count.max(1);
    let mut previous: Option<(Array2<f64>, Vec<bool>)> = None;
    // Spaces are learned a wave of periods at a time, one period per thread (memory:
    // one space per thread), then aligned in order.
    let periods: Vec<usize> = (0..n_groups).filter(|&g| co.counts[g].nnz() > 0).collect();
    for wave in periods.chunks(rayon::current_num_threads().max(1)) {
        crate::cancel::check()?;
        let spaces: Vec<Result<Array2<f64>>> = wave
            .par_iter()
            .map(|&g| vectors(&co.counts[g], opts))
            .collect();
        for (&g, w) in wave.iter().zip(spaces) {
            let mut w = w?;
            let present: Vec<bool> = co.occurrences[g].iter().map(|&c| c >= min).collect();
            if let Some((prev, prev_present)) = &previous {
                let common: Vec<usize> =
                    (0..n).filter(|&u| present[u] && prev_present[u]).collect();
                if !common.is_empty() {
                    let r = procrustes(&w, prev, &common);
                    w = w.dot(&r);
                    for &u in &common {
                        drift[[g, u]] = 1.0 - w.row(u).dot(&prev.row(u));
                    }
                }
            }
            for (t, &tu) in target_units.iter().enumerate() {
                if !present[tu as usize] {
                    continue;
                }
                let sims = w.dot(&w.row(tu as usize));
                for u in (0..n).filter(|&u| present[u]) {
                    similarity[t][[g, u]] = sims[u];
                }
            }
            previous = Some((w, present));
        }
    }
    Ok(Drift {
        units,
        targets: target_units,
        occurrences,
        drift,
        similarity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::automaton::Hit;
    use crate::text::tokenizer::Tokenizer;

    /// Documents of a "ship" sentence with alpha or beta and a "bread" sentence with
    /// zeta or eta; every third document has "gamma" in the ship sentence (`moved`:
    /// in the bread sentence).
    fn planted(moved: bool) -> Vec<String> {
        let ships = ["ships", "sail", "harbour", "port", "sea"];
        let bread = ["bread", "bake", "oven", "flour", "dough"];
        (0..600)
            .map(|i| {
                let mut w1 = if i % 2 == 0 { "alpha" } else { "beta" };
                let mut w2 = if i % 2 == 0 { "zeta" } else { "eta" };
                if i % 3 == 0 {
                    if moved {
                        w2 = "gamma";
                    } else {
                        w1 = "gamma";
                    }
                }
                let (a, a2) = (ships[i % 5], ships[(i * 7 + 1) % 5]);
                let (b, b2) = (bread[(i / 5) % 5], bread[(i * 3 + 2) % 5]);
                format!("{a} {w1} {a2}. {b} {w2} {b2}.")
            })
            .collect()
    }

    #[test]
    fn expansion_ranks_a_planted_synonym_first() {
        let texts = planted(true);
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        // Seed: every "alpha" (token 1 of each even document).
        let alpha = tc.vocab.get("alpha").unwrap();
        let per_doc = (0..tc.n_docs()).map(|d| {
            tc.doc(d)
                .iter()
                .enumerate()
                .filter(|&(_, &t)| t == alpha)
                .map(|(i, _)| Hit {
                    frame: 0,
                    start: i as u32,
                    end: i as u32 + 1,
                })
                .collect::<Vec<_>>()
        });
        let matches = Matches::from_docs(per_doc);
        let opts = SpaceOptions {
            dim: 8,
            window: 1,
            ..SpaceOptions::default()
        };
        let uo = UnitOptions {
            phrases: false,
            ..UnitOptions::default()
        };
        let e = expand(&tc, &matches, &["<alpha>".into()], &uo, &opts).unwrap();
        let sims = e.similarity.row(0);
        let beta = e.units.find("beta").unwrap() as usize;
        let gamma = e.units.find("gamma").unwrap() as usize;
        let seed = e.units.len() - 1;
        let best = (0..seed)
            .max_by(|&a, &b| sims[a].total_cmp(&sims[b]))
            .unwrap();
        assert_eq!(best, beta, "{:?}", e.units.names);
        assert!(
            sims[beta] > 0.9 && sims[gamma] < 0.5,
            "{} {}",
            sims[beta],
            sims[gamma]
        );
        let alpha = e.units.find("alpha").unwrap() as usize;
        assert_eq!(e.occurrences[alpha], 0, "every alpha became the seed");
        // Seeded: the same scores again.
        let again = expand(&tc, &matches, &["<alpha>".into()], &uo, &opts).unwrap();
        assert_eq!(e.similarity, again.similarity);
    }

    #[test]
    fn drift_peaks_where_the_context_changes() {
        // Four periods; from period 2 "gamma" moves from the ship sentences to the
        // bread sentences. Its drift there is the largest of all units', and larger
        // than its own in other periods.
        let mut texts = Vec::new();
        let mut group = Vec::new();
        for g in 0..4u32 {
            for t in planted(g >= 2) {
                texts.push(t);
                group.push(g);
            }
        }
        let tc = TokenizedCorpus::build(&texts, &Tokenizer::default());
        let uo = UnitOptions {
            phrases: false,
            min_count: 20,
            ..UnitOptions::default()
        };
        let opts = SpaceOptions {
            dim: 6,
            window: 1,
            ..SpaceOptions::default()
        };
        let d = drift(&tc, &group, 4, &[vec!["gamma".into()]], &uo, &opts).unwrap();
        let gamma = d.targets[0] as usize;
        assert!(d.drift[[0, gamma]].is_nan());
        let shifted = d.drift[[2, gamma]];
        assert!(shifted > 0.5, "{shifted}");
        assert!(
            d.drift[[1, gamma]] < 0.1 && d.drift[[3, gamma]] < 0.1,
            "{:?}",
            d.drift.column(gamma)
        );
        let most = (0..d.units.len())
            .filter(|&u| !d.drift[[2, u]].is_nan())
            .max_by(|&a, &b| d.drift[[2, a]].total_cmp(&d.drift[[2, b]]))
            .unwrap();
        assert_eq!(most, gamma);
        assert!(drift(&tc, &group, 4, &[vec!["nowhere".into()]], &uo, &opts).is_err());
    }
}
