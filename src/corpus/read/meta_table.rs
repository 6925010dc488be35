//! The metadata table of documents read from files: one column per field, one
//! value per document, in memory that follows the values read.
//!
//! Records usually share their fields, and the table is the records' own shape. A
//! file whose records each bring their own keys (a scrape keyed by URL or user id)
//! would make a table of documents x fields, almost all empty: 100,000 such records,
//! 10^10 cells. Beyond [`DENSE_CELLS`] cells (or eight per value read, whichever is
//! more) or [`MAX_COLUMNS`] columns, the most frequent fields stay columns and each
//! document's other fields are kept, as a JSON object, in one column
//! ([`EXTRA_COLUMN`]); the read report says so. Nothing is dropped.

use ahash::AHashMap;

use super::{MetaValue, ReadIssue};

/// Cells a metadata table may hold whatever the values read (16.7 million).
pub const DENSE_CELLS: usize = 1 << 24;
/// Cells allowed per value read, beyond [`DENSE_CELLS`].
pub const CELLS_PER_VALUE: usize = 8;
/// The most metadata columns a table gets (each is a pandas column).
pub const MAX_COLUMNS: usize = 10_000;
/// The column holding the fields that are not columns of their own.
pub const EXTRA_COLUMN: &str = "extra_fields";

/// Metadata values of documents, row by row, as the reader collects them.
#[derive(Debug, Default)]
pub struct MetaRows {
    /// Field names, in first-seen order.
    names: Vec<String>,
    index: AHashMap<String, usize>,
    /// Per document: (field, value) as read.
    rows: Vec<Vec<(usize, MetaValue)>>,
    /// Documents holding each field.
    counts: Vec<usize>,
}

impl MetaRows {
    /// Adds the next document's fields.
    pub fn push(&mut self, fields: Vec<(String, MetaValue)>) {
        let mut row = Vec::with_capacity(fields.len());
        for (name, v) in fields {
            let c = match self.index.get(&name) {
                Some(&c) => c,
                None => {
                    self.names.push(name.clone());
                    self.counts.push(0);
                    self.index.insert(name, self.names.len() - 1);
                    self.names.len() - 1
                }
            };
            self.counts[c] += 1;
            row.push((c, v));
        }
        self.rows.push(row);
    }

    /// The table: (name, one value per document) in first-seen order, and the report
    /// entry when fields were folded into [`EXTRA_COLUMN`] (`sources` names each
    /// document's record, for the first one holding a folded field). The fields named in
    /// `keep` stay columns however few documents hold them (a scan's grouping fields: a
    /// batch must not fold one that other batches keep).
    pub fn into_table(
        self,
        sources: &[String],
        keep: &[String],
    ) -> (Vec<(String, Vec<MetaValue>)>, Option<ReadIssue>) {
        let n = self.rows.len();
        let values: usize = self.counts.iter().sum();
        let budget = DENSE_CELLS.max(CELLS_PER_VALUE.saturating_mul(values));
        let fits = |k: usize| k <= MAX_COLUMNS && k.saturating_mul(n) <= budget;
        let total = self.names.len();
        // The most frequent fields (first seen first among equals), as many as fit
        // with the extra column.
        let mut kept = vec![true; total];
        let mut folded = 0;
        if !fits(total) {
            let mut forced = vec![false; total];
            for name in keep {
                if let Some(&c) = self.index.get(name) {
                    forced[c] = true;
                }
            }
            let n_forced = forced.iter().filter(|&&f| f).count();
            let mut by_use: Vec<usize> = (0..total).collect();
            by_use.sort_by_key(|&c| (!forced[c], std::cmp::Reverse(self.counts[c]), c));
            let mut k = 0;
            while k < total && fits(k + 2) {
                k += 1;
            }
            let k = k.max(n_forced);
            kept = vec![false; total];
            for &c in &by_use[..k] {
                kept[c] = true;
            }
            folded = total - k;
        }
        // Output position of each kept field; the extra column last.
        let mut position = vec![usize::MAX; total];
        let mut table: Vec<(String, Vec<MetaValue>)> = Vec::new();
        for (c, name) in self.names.iter().enumerate() {
            if kept[c] {
                position[c] = table.len();
                table.push((name.clone(), vec![MetaValue::Null; n]));
            }
        }
        let extra = folded > 0;
        if extra {
            let mut name = EXTRA_COLUMN.to_string();
            while self.index.contains_key(&name) {
                name.push('_');
            }
            table.push((name, vec![MetaValue::Null; n]));
        }
        let mut first_folded: Option<(usize, usize)> = None;
        for (i, row) in self.rows.into_iter().enumerate() {
            let mut others = serde_json::Map::new();
            for (c, v) in row {
                if kept[c] {
                    table[position[c]].1[i] = v;
                } else {
                    first_folded.get_or_insert((i, c));
                    others.insert(self.names[c].clone(), json_of(v));
                }
            }
            if !others.is_empty() {
                let last = table.len() - 1;
                table[last].1[i] = MetaValue::Str(serde_json::Value::Object(others).to_string());
            }
        }
        let issue = first_folded.map(|(i, c)| ReadIssue {
            source: sources.get(i).cloned().unwrap_or_default(),
            kind: "folded_fields",
            message: format!(
                "{folded} of {total} metadata fields are held by few documents (a column \
                 each would make {n} x {total} cells for {values} values); they are kept \
                 as JSON objects in column {:?}, the first here: {:?}",
                table[table.len() - 1].0,
                self.names[c]
            ),
        });
        (table, issue)
    }
}

/// A metadata value as JSON.
fn json_of(v: MetaValue) -> serde_json::Value {
    match v {
        MetaValue::Null => serde_json::Value::Null,
        MetaValue::Bool(b) => b.into(),
        MetaValue::Int(i) => i.into(),
        MetaValue::Float(f) => {
            serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
        }
        MetaValue::Str(s) => s.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(records: &[&[(&str, MetaValue)]]) -> MetaRows {
        let mut m = MetaRows::default();
        for r in records {
            m.push(r.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
        }
        m
    }

    #[test]
    fn shared_fields_are_columns_in_first_seen_order() {
        let m = rows(&[
            &[
                ("lang", MetaValue::Str("en".into())),
                ("views", MetaValue::Int(3)),
            ],
            &[
                ("views", MetaValue::Int(5)),
                ("edited", MetaValue::Bool(true)),
            ],
        ]);
        let (table, issue) = m.into_table(&["a:1".into(), "a:2".into()], &[]);
        assert!(issue.is_none());
        let names: Vec<&str> = table.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["lang", "views", "edited"]);
        assert_eq!(table[0].1, [MetaValue::Str("en".into()), MetaValue::Null]);
        assert_eq!(table[2].1, [MetaValue::Null, MetaValue::Bool(true)]);
    }

    #[test]
    fn fields_of_their_own_per_record_are_kept_as_json_in_one_column() {
        // 5,000 records, each with "lang" and a key of its own: 5,000 x 5,001 cells
        // (25 million) for 10,000 values; "lang" stays a column, the rest is JSON.
        let n = 5_000;
        let mut m = MetaRows::default();
        for i in 0..n {
            m.push(vec![
                ("lang".into(), MetaValue::Str("ru".into())),
                (format!("https://t.me/x/{i}"), MetaValue::Int(i as i64)),
            ]);
        }
        let sources: Vec<String> = (1..=n).map(|i| format!("p.jsonl:{i}")).collect();
        let (table, issue) = m.into_table(&sources, &[]);
        let names: Vec<&str> = table.iter().map(|(n, _)| n.as_str()).collect();
        // Kept: as many of the most frequent as fit in 16.7 million cells with the
        // extra column, "lang" first (in every record).
        assert_eq!(names[0], "lang");
        assert_eq!(*names.last().unwrap(), EXTRA_COLUMN);
        assert!(table.len() * n <= DENSE_CELLS && table.len() > 2);
        let kept_keys = table.len() - 2;
        // Every value is somewhere: in its column or in the JSON of its record.
        let in_columns: usize = table[..table.len() - 1]
            .iter()
            .map(|(_, v)| v.iter().filter(|x| **x != MetaValue::Null).count())
            .sum();
        let extra = &table[table.len() - 1].1;
        assert_eq!(
            in_columns + extra.iter().filter(|x| **x != MetaValue::Null).count(),
            2 * n
        );
        assert_eq!(
            extra[n - 1],
            MetaValue::Str(format!("{{\"https://t.me/x/{}\":{}}}", n - 1, n - 1))
        );
        let issue = issue.expect("reported");
        assert_eq!(issue.kind, "folded_fields");
        assert_eq!(issue.source, format!("p.jsonl:{}", kept_keys + 1));
        assert!(issue
            .message
            .contains(&format!("{} of {} metadata fields", n - kept_keys, n + 1)));
    }

    #[test]
    fn a_field_asked_for_stays_a_column_however_rare() {
        // 5,000 records of keys of their own; "party" in one record only, seen after
        // thousands of other fields: folded unless asked for, then a column in its place.
        let n = 5_000;
        let build = || {
            let mut m = MetaRows::default();
            for i in 0..n {
                let mut r = vec![(format!("https://t.me/x/{i}"), MetaValue::Int(i as i64))];
                if i == 4_000 {
                    r.push(("party".into(), MetaValue::Str("A".into())));
                }
                m.push(r);
            }
            m
        };
        let sources: Vec<String> = (1..=n).map(|i| format!("p.jsonl:{i}")).collect();
        let (table, _) = build().into_table(&sources, &[]);
        assert!(table.iter().all(|(name, _)| name != "party"));
        let extra = &table[table.len() - 1].1;
        assert!(matches!(&extra[4_000], MetaValue::Str(s) if s.contains("\"party\":\"A\"")));
        let keep = ["party".to_string(), "absent".to_string()];
        let (table, issue) = build().into_table(&sources, &keep);
        assert!(issue.is_some());
        let party = table
            .iter()
            .find(|(name, _)| name == "party")
            .expect("kept");
        assert_eq!(party.1[4_000], MetaValue::Str("A".into()));
        assert_eq!(party.1.iter().filter(|v| **v != MetaValue::Null).count(), 1);
        assert!(table.iter().all(|(name, _)| name != "absent"));
        // Kept in first-seen order among the columns, the extra column last; nothing lost.
        let names: Vec<&str> = table.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(*names.last().unwrap(), EXTRA_COLUMN);
        assert_eq!(names[names.len() - 2], "party");
        let values: usize = table[..table.len() - 1]
            .iter()
            .map(|(_, v)| v.iter().filter(|x| **x != MetaValue::Null).count())
            .sum::<usize>()
            + table[table.len() - 1]
                .1
                .iter()
                .filter(|x| **x != MetaValue::Null)
                .count();
        assert_eq!(values, n + 1, "one cell per record, plus its party");
    }

    #[test]
    fn one_record_of_many_fields_keeps_the_most_columns_and_a_taken_name_is_not_reused() {
        let mut m = MetaRows::default();
        let mut fields: Vec<(String, MetaValue)> = (0..MAX_COLUMNS + 5)
            .map(|k| (format!("k{k}"), MetaValue::Float(0.5)))
            .collect();
        fields.push((EXTRA_COLUMN.into(), MetaValue::Null));
        m.push(fields);
        let (table, issue) = m.into_table(&["one.jsonl:1".into()], &[]);
        assert_eq!(table.len(), MAX_COLUMNS);
        assert_eq!(table[table.len() - 1].0, format!("{EXTRA_COLUMN}_"));
        assert!(issue.is_some());
    }
}
