//! Python `re` patterns run with Python's meaning. Rust's `\w`, `\s` and `\b`
//! differ from Python's (Rust's `\w` adds combining marks and joiners), so a
//! custom `token_pattern` is translated first: `\w` -> `[\p{L}\p{N}_]` (exactly
//! Python's `str.isalnum() or "_"`), `\s` gains U+001C..U+001F, and `\b`/`\B`
//! become look-arounds over that class (run by `fancy-regex`). Inside a
//! character class, `[`, `&` and `~` are literal in Python and escaped here.

const WORD: &str = r"\p{L}\p{N}_";
const SPACE: &str = r"\s\x1C-\x1F";

fn boundary() -> String {
    format!("(?:(?<=[{WORD}])(?![{WORD}])|(?<![{WORD}])(?=[{WORD}]))")
}

fn not_boundary() -> String {
    format!("(?:(?<=[{WORD}])(?=[{WORD}])|(?<![{WORD}])(?![{WORD}]))")
}

/// Translates a Python regular expression into `fancy-regex` syntax with Python's semantics.
pub fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut in_class = false;
    let mut class_start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let e = chars[i + 1];
            i += 2;
            match (in_class, e) {
                (false, 'w') => out.push_str(&format!("[{WORD}]")),
                (false, 'W') => out.push_str(&format!("[^{WORD}]")),
                (false, 's') => out.push_str(&format!("[{SPACE}]")),
                (false, 'S') => out.push_str(&format!("[^{SPACE}]")),
                (false, 'b') => out.push_str(&boundary()),
                (false, 'B') => out.push_str(&not_boundary()),
                (true, 'w') => out.push_str(WORD),
                (true, 'W') => out.push_str(&format!("[^{WORD}]")),
                (true, 's') => out.push_str(SPACE),
                (true, 'S') => out.push_str(&format!("[^{SPACE}]")),
                (true, 'b') => out.push_str(r"\x08"),
                (_, e) => {
                    out.push('\\');
                    out.push(e);
                }
            }
            continue;
        }
        if !in_class {
            if c == '[' {
                in_class = true;
                out.push('[');
                i += 1;
                if i < chars.len() && chars[i] == '^' {
                    out.push('^');
                    i += 1;
                }
                class_start = i;
                continue;
            }
            out.push(c);
        } else {
            match c {
                ']' if i != class_start => {
                    in_class = false;
                    out.push(']');
                }
                ']' => out.push_str(r"\]"),
                '[' | '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_python_classes() {
        assert_eq!(translate(r"[A-Za-z]+"), r"[A-Za-z]+");
        assert_eq!(translate(r"\w+"), r"[\p{L}\p{N}_]+");
        assert_eq!(translate(r"[\w-]+"), r"[\p{L}\p{N}_-]+");
        assert_eq!(translate(r"[]a]"), r"[\]a]");
        assert_eq!(translate(r"[a[&]"), r"[a\[\&]");
        assert!(translate(r"\b\w\b").contains("(?<="));
    }

    #[test]
    fn translated_patterns_behave_like_python() {
        let re = fancy_regex::Regex::new(&translate(r"(?u)\b\w+\b")).unwrap();
        // U+FE0F (a mark) is not a word char in Python.
        let found: Vec<&str> = re
            .find_iter("ℹ\u{fe0f} cafe\u{301}")
            .map(|m| m.unwrap().as_str())
            .collect();
        assert_eq!(found, ["ℹ", "cafe"]);
    }
}
