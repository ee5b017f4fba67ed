//! [`NameGlob`]: an instance-name pattern, matched by the client.

use std::fmt;

use crate::selection::selection_error::SelectionError;

const GLOB_FORM: &str = "a glob of 1 to 128 characters without control characters: `*` any \
                         run of characters, `?` one, `\\` before either (or itself) for the \
                         character itself";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Token {
    Literal(char),
    One,
    Any,
}

/// A pattern an instance's whole `InstanceName` must match: `*` stands for any run of
/// characters (none included), `?` for one, and `\` makes the next `*`, `?` or `\`
/// stand for itself. Case counts, as the service stores names.
///
/// The API's `instance-name` filter is not documented to match exactly (its error
/// list has a code for an "invalid fuzzy-query string"), so a selection by name is
/// judged here, on the name each read returns; an instance whose name was not read
/// does not match.
///
/// ```
/// use tencentcloud_cvm_core::NameGlob;
/// let ci = NameGlob::parse("ci-runner-*")?;
/// assert!(ci.matches("ci-runner-1"));
/// assert!(!ci.matches("old-ci-runner-1"));
/// assert!(NameGlob::parse("web-?")?.matches("web-1"));
/// assert!(!NameGlob::parse("web-?")?.matches("web-10"));
/// assert!(NameGlob::parse(r"100\*")?.matches("100*"));
/// # Ok::<(), tencentcloud_cvm_core::SelectionError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NameGlob {
    text: String,
    tokens: Vec<Token>,
}

impl NameGlob {
    /// The longest pattern, in characters.
    pub const MAX_LEN: usize = 128;

    /// Parses a pattern.
    pub fn parse(text: &str) -> Result<NameGlob, SelectionError> {
        let refuse = || SelectionError::argument("name", text, GLOB_FORM);
        let count = text.chars().count();
        if count == 0 || count > Self::MAX_LEN || text.chars().any(char::is_control) {
            return Err(refuse());
        }
        let mut tokens = Vec::with_capacity(count);
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => {
                    // Two stars mean no more than one.
                    if tokens.last() == Some(&Token::Any) {
                        continue;
                    }
                    Token::Any
                }
                '?' => Token::One,
                '\\' => match chars.next() {
                    Some(e @ ('*' | '?' | '\\')) => Token::Literal(e),
                    _ => return Err(refuse()),
                },
                c => Token::Literal(c),
            });
        }
        Ok(NameGlob {
            text: text.to_owned(),
            tokens,
        })
    }

    /// Whether `name`, whole, matches.
    pub fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        let (mut t, mut n) = (0, 0);
        // Where the last `*` was, and the name position it is being tried at.
        let mut star: Option<(usize, usize)> = None;
        while n < name.len() {
            match self.tokens.get(t) {
                Some(Token::Any) => {
                    star = Some((t, n));
                    t += 1;
                }
                Some(Token::One) => {
                    t += 1;
                    n += 1;
                }
                Some(Token::Literal(c)) if *c == name[n] => {
                    t += 1;
                    n += 1;
                }
                _ => match star {
                    // Let the last star take one more character, and try again.
                    Some((st, sn)) => {
                        star = Some((st, sn + 1));
                        t = st + 1;
                        n = sn + 1;
                    }
                    None => return false,
                },
            }
        }
        self.tokens[t..].iter().all(|t| *t == Token::Any)
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for NameGlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    fn m(pattern: &str, name: &str) -> bool {
        NameGlob::parse(pattern).unwrap().matches(name)
    }

    #[test]
    fn matching() {
        for (p, name, want) in [
            ("*", "", true),
            ("*", "anything", true),
            ("a*", "a", true),
            ("a*b", "ab", true),
            ("a*b", "axxb", true),
            ("a*b", "axxbx", false),
            ("*b*b", "abcb", true),
            ("*b*b", "abc", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("??", "实例", true),
            ("Web", "web", false),
            ("ci-*-1", "ci-runner-sh-1", true),
            (r"a\*", "a*", true),
            (r"a\*", "ab", false),
            (r"a\?", "a?", true),
            (r"\\", "\\", true),
            ("a**b", "ab", true),
            ("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ] {
            assert_eq!(m(p, name), want, "{p:?} {name:?}");
        }
    }

    #[test]
    fn refusals() {
        for bad in ["", "a\\", "a\\b", "a\nb", &"x".repeat(129)] {
            assert!(NameGlob::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(NameGlob::parse("ci-*").unwrap().to_string(), "ci-*");
    }

    quickcheck! {
        /// A name matches itself (its metacharacters escaped), and `*` matches all.
        fn a_name_matches_itself(name: String) -> bool {
            let name: String = name.chars().filter(|c| !c.is_control()).take(60).collect();
            if name.is_empty() {
                return true;
            }
            let mut escaped = String::new();
            for c in name.chars() {
                if matches!(c, '*' | '?' | '\\') {
                    escaped.push('\\');
                }
                escaped.push(c);
            }
            let Ok(glob) = NameGlob::parse(&escaped) else { return escaped.chars().count() > 128 };
            glob.matches(&name) && !glob.matches(&format!("{name}x")) && m("*", &name)
        }
    }
}
