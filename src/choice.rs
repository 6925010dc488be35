//! Options a user names with a word ("split", "raise", "l2"): one trait for every
//! core enum chosen by name, so each enum parses its names, lists them in errors and
//! gives its name back in one place, and bindings convert once at the border.

use crate::error::{invalid, Result};

/// An option chosen by name.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    /// The option's name in messages, as users pass it ("hashtags").
    const OPTION: &'static str;
    /// Each accepted name and its value; a value's first name is its canonical one,
    /// later names are aliases.
    const NAMES: &'static [(&'static str, Self)];

    /// The value named `s`; the error lists the canonical names.
    fn parse(s: &str) -> Result<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|&(_, v)| v)
            .ok_or_else(|| {
                invalid(format!(
                    "{} must be {}, got {s:?}",
                    Self::OPTION,
                    Self::listing()
                ))
            })
    }

    /// The canonical name of `self`.
    fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(n, _)| *n)
            .expect("every value of a Choice has a name")
    }

    /// The canonical names as a phrase: "'a', 'b' or 'c'".
    fn listing() -> String {
        let names: Vec<String> = Self::NAMES
            .iter()
            .enumerate()
            .filter(|(i, (_, v))| Self::NAMES[..*i].iter().all(|(_, w)| w != v))
            .map(|(_, (n, _))| format!("'{n}'"))
            .collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}

/// Implements [`Choice`] for an enum: `choices!(Type, "option", ["name" => Type::Value, ...])`.
#[macro_export]
macro_rules! choices {
    ($ty:ty, $option:literal, [$($name:literal => $val:expr),+ $(,)?]) => {
        impl $crate::choice::Choice for $ty {
            const OPTION: &'static str = $option;
            const NAMES: &'static [(&'static str, Self)] = &[$(($name, $val)),+];
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Mode {
        A,
        B,
        C,
    }
    choices!(Mode, "mode", ["a" => Mode::A, "b" => Mode::B, "bee" => Mode::B, "c" => Mode::C]);

    #[test]
    fn names_round_trip_and_errors_list_canonical_names() {
        for (name, value) in [
            ("a", Mode::A),
            ("b", Mode::B),
            ("bee", Mode::B),
            ("c", Mode::C),
        ] {
            assert_eq!(Mode::parse(name).unwrap(), value);
        }
        assert_eq!(Mode::B.as_str(), "b");
        let err = Mode::parse("d").unwrap_err().to_string();
        assert_eq!(err, "mode must be 'a', 'b' or 'c', got \"d\"");
    }
}
