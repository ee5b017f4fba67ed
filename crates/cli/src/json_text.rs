//! JSON as tccvm writes it: compact, one document or one line, and safe to show
//! on a terminal.
//!
//! serde_json escapes the C0 controls (U+0000–U+001F), `"` and `\`. It leaves
//! DEL, the C1 controls (U+0080–U+009F: U+009B is an 8-bit CSI, U+009D an OSC)
//! and the bidirectional overrides as they are, and a terminal may act on them
//! when the JSON is shown (`tccvm ... -o json` without a pipe, `cat report.json`).
//! They are written as `\uXXXX` here: the same JSON value, nothing to obey.

use std::io::{self, Write};

use serde::Serialize;

use crate::terminal_text::is_bidi_control;

/// `value` as one line of JSON, with every character a terminal could act on
/// escaped. Serializing plain data cannot fail; if it did, the line says so
/// rather than being empty.
pub fn to_line(value: &impl Serialize) -> String {
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, TerminalSafe);
    if let Err(e) = value.serialize(&mut serializer) {
        return serde_json::json!({ "error": format!("cannot write this as JSON: {e}") })
            .to_string();
    }
    // Only valid UTF-8 is written: the input is `str`, the escapes ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's compact format, escaping what serde_json leaves raw.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if needs_escape(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every such character is in the Basic Multilingual Plane.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// DEL, C1, the bidirectional controls, and the line and paragraph separators
/// (which end a line for some readers).
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_del_and_bidi_are_escaped_and_the_value_kept() {
        let hostile = "a\u{9b}31m b\u{9d}0;t\u{7} c\u{7f} d\u{202e}e\u{2028}f 拒绝 \u{1b}[2J";
        let line = to_line(&serde_json::json!({ "message": hostile }));
        assert_eq!(
            line,
            r#"{"message":"a\u009b31m b\u009d0;t\u0007 c\u007f d\u202ee\u2028f 拒绝 \u001b[2J"}"#
        );
        assert!(!line.chars().any(|c| c.is_control() || is_bidi_control(c)));
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["message"], hostile);
    }

    #[test]
    fn plain_text_is_as_serde_json_writes_it() {
        let value = serde_json::json!({"id": "ins-00000001", "n": 3, "name": "网站-1 \"a\"\\"});
        assert_eq!(to_line(&value), value.to_string());
    }
}
