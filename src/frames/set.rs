//! A dictionary kept ready for matching: parsed once per tokenizer setting and
//! compiled once per tokenized corpus, then reused by every call (counts,
//! trends, overlaps, KWIC) on that corpus; or, for a corpus not tokenized, its
//! texts scanned once (`frames::scan`). The one home of compile-and-match.

use std::any::Any;
use std::sync::{Arc, Mutex, Weak};

use crate::error::Result;
use crate::frames::automaton::{parse_frames, Automaton, FrameSpec};
use crate::frames::pattern::Pattern;
use crate::frames::scan::{scan, Matches, Scan};
use crate::text::tokenized::TokenizedCorpus;
use crate::text::tokenizer::{Tokenizer, TokenizerOptions};

/// Parsed patterns and exclusions of each frame.
type Parsed = Vec<(Vec<Pattern>, Vec<Pattern>)>;

/// An automaton compiled for one tokenized corpus (held weakly: it goes with the corpus).
type Compiled = (TokenizerOptions, Weak<TokenizedCorpus>, Arc<Automaton>);

/// A scan of one corpus's texts (the corpus held weakly).
type Scanned = (TokenizerOptions, Weak<dyn Any + Send + Sync>, Arc<Scan>);

/// How many parsings and compilations are kept (the oldest goes first).
const KEPT: usize = 4;

/// Frames with their parsed and compiled forms cached.
#[derive(Debug)]
pub struct FrameSet {
    specs: Vec<FrameSpec>,
    names: Vec<String>,
    parsed: Mutex<Vec<(TokenizerOptions, Arc<Parsed>)>>,
    compiled: Mutex<Vec<Compiled>>,
    scanned: Mutex<Vec<Scanned>>,
}

impl FrameSet {
    /// Frames as given (checked when first parsed).
    pub fn new(specs: Vec<FrameSpec>) -> FrameSet {
        FrameSet {
            names: specs.iter().map(|f| f.name.clone()).collect(),
            specs,
            parsed: Mutex::new(Vec::new()),
            compiled: Mutex::new(Vec::new()),
            scanned: Mutex::new(Vec::new()),
        }
    }

    /// The frames.
    pub fn specs(&self) -> &[FrameSpec] {
        &self.specs
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.specs.len()
    }

    /// Whether there are no frames.
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    /// The patterns parsed with `tokenizer`'s settings (errors name frame and pattern).
    pub fn parsed(&self, tokenizer: &Tokenizer) -> Result<Arc<Parsed>> {
        let opts = tokenizer.options();
        if let Some((_, p)) = lock(&self.parsed).iter().find(|(o, _)| o == opts) {
            return Ok(p.clone());
        }
        let p = Arc::new(parse_frames(&self.specs, tokenizer)?);
        let mut cache = lock(&self.parsed);
        if cache.len() >= KEPT {
            cache.remove(0);
        }
        cache.push((opts.clone(), p.clone()));
        Ok(p)
    }

    /// The automaton for `tc` (tokenized by `tokenizer`), compiled on first use.
    pub fn automaton(
        &self,
        tokenizer: &Tokenizer,
        tc: &Arc<TokenizedCorpus>,
    ) -> Result<Arc<Automaton>> {
        let opts = tokenizer.options();
        {
            let mut cache = lock(&self.compiled);
            cache.retain(|(_, w, _)| w.strong_count() > 0);
            let found = cache
                .iter()
                .find(|(o, w, _)| o == opts && std::ptr::eq(w.as_ptr(), Arc::as_ptr(tc)));
            if let Some((_, _, a)) = found {
                return Ok(a.clone());
            }
        }
        let a = Arc::new(Automaton::compile(
            &self.parsed(tokenizer)?,
            &self.names,
            &tc.vocab,
        )?);
        let mut cache = lock(&self.compiled);
        if cache.len() >= KEPT {
            cache.remove(0);
        }
        cache.push((opts.clone(), Arc::downgrade(tc), a.clone()));
        Ok(a)
    }

    /// Matches the frames in every document of `tc`.
    pub fn match_corpus(
        &self,
        tokenizer: &Tokenizer,
        tc: &Arc<TokenizedCorpus>,
    ) -> Result<Matches> {
        let matched = self.automaton(tokenizer, tc)?.match_corpus(tc);
        crate::cancel::check()?;
        Ok(matched)
    }

    /// Hits and token counts of a corpus not tokenized into ids, scanned from its
    /// `texts` (see [`crate::frames::scan`]); kept while `corpus`, which owns the
    /// texts, lives. `None` if the dictionary has no prefilter.
    pub fn scan<S: AsRef<str> + Sync>(
        &self,
        tokenizer: &Tokenizer,
        corpus: &Arc<dyn Any + Send + Sync>,
        texts: &[S],
    ) -> Result<Option<Arc<Scan>>> {
        let opts = tokenizer.options();
        let key = Arc::as_ptr(corpus) as *const ();
        {
            let mut cache = lock(&self.scanned);
            cache.retain(|(_, w, _)| w.strong_count() > 0);
            let found = cache
                .iter()
                .find(|(o, w, _)| o == opts && w.as_ptr() as *const () == key);
            if let Some((_, _, s)) = found {
                return Ok(Some(s.clone()));
            }
        }
        let Some(s) = scan(texts, tokenizer, &self.parsed(tokenizer)?, &self.names)? else {
            return Ok(None);
        };
        let s = Arc::new(s);
        let mut cache = lock(&self.scanned);
        if cache.len() >= KEPT {
            cache.remove(0);
        }
        cache.push((opts.clone(), Arc::downgrade(corpus), s.clone()));
        Ok(Some(s))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> FrameSet {
        FrameSet::new(vec![FrameSpec {
            name: "west".into(),
            patterns: vec!["collective west".into()],
            exclude: vec![],
        }])
    }

    #[test]
    fn compiled_once_per_corpus_and_matches() {
        let tok = Tokenizer::default();
        let frames = set();
        let a = Arc::new(TokenizedCorpus::build(
            &["The collective West, the collective west."],
            &tok,
        ));
        let b = Arc::new(TokenizedCorpus::build(&["collective West"], &tok));
        let m = frames.match_corpus(&tok, &a).unwrap();
        assert_eq!((m.offsets, m.hits.len()), (vec![0, 2], 2));
        let first = frames.automaton(&tok, &a).unwrap();
        assert!(Arc::ptr_eq(&first, &frames.automaton(&tok, &a).unwrap()));
        assert!(!Arc::ptr_eq(&first, &frames.automaton(&tok, &b).unwrap()));
        assert_eq!(frames.match_corpus(&tok, &b).unwrap().hits.len(), 1);
        drop(a);
        frames.automaton(&tok, &b).unwrap();
        assert_eq!(
            lock(&frames.compiled).len(),
            1,
            "a dropped corpus's automaton goes"
        );
    }

    #[test]
    fn bad_pattern_is_an_error_each_time() {
        let frames = FrameSet::new(vec![FrameSpec {
            name: "x".into(),
            patterns: vec![],
            exclude: vec![],
        }]);
        let tok = Tokenizer::default();
        assert!(frames.parsed(&tok).is_err());
        assert!(frames.parsed(&tok).is_err());
    }
}
