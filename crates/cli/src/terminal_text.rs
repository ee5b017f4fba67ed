//! Text from the service or from input, made safe to print on a terminal.
//!
//! A message holding ESC sequences could recolour or clear the screen, move the
//! cursor or set the window title; a newline or carriage return could start what
//! looks like another row of the table. Bidirectional overrides could reorder
//! what is shown. Each such character is written as a visible escape instead; a
//! backslash is doubled so an escape cannot be forged by the text itself.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (C0, DEL, C1), bidirectional control and
/// backslash escaped as Rust writes them (`\n`, `\u{1b}`, `\\`); other
/// characters, Chinese ones included, are kept.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c == '\\' || c.is_control() || is_bidi_control(c)
}

/// The Unicode bidirectional formatting characters (embeddings, overrides,
/// isolates and marks), which reorder how a line is displayed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        for s in [
            "",
            "ins-00000001 terminated",
            "实例不存在。",
            "a 'quoted' \"word\"",
        ] {
            assert!(matches!(escape(s), Cow::Borrowed(t) if t == s));
        }
    }

    #[test]
    fn escapes_leave_no_control_character() {
        let hostile = "ok\u{1b}[2J\u{1b}]0;title\u{7}\nins-zzzzzzzz  terminated\r\u{9b}31m\u{7f}\0\u{202e}txt";
        let out = escape(hostile);
        assert!(
            !out.chars().any(|c| c.is_control() || is_bidi_control(c)),
            "{out}"
        );
        assert_eq!(
            out,
            "ok\\u{1b}[2J\\u{1b}]0;title\\u{7}\\nins-zzzzzzzz  terminated\\r\\u{9b}31m\\u{7f}\\u{0}\\u{202e}txt"
        );
    }

    #[test]
    fn a_backslash_cannot_forge_an_escape() {
        assert_eq!(escape("a\\nb"), "a\\\\nb");
        assert_ne!(escape("a\\nb"), escape("a\nb"));
        assert_eq!(escape("tab\there"), "tab\\there");
    }
}
