//! The HTTP-like text format shared by the response and emulator targets.

/// An HTTP-like message split into its start line, header lines and body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message<'a> {
    /// The first line, without its line ending.
    pub start: &'a [u8],
    /// `(name, value)` per header line; the value is trimmed of spaces and tabs. A line
    /// without `:` is a name with an empty value.
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    /// Everything after the first empty line (empty if there is none).
    pub body: &'a [u8],
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn trim_blank(mut v: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = v {
        v = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = v {
        v = rest;
    }
    v
}

/// Splits `data` as
///
/// ```text
/// START-LINE LF
/// Name: value LF      (any number of header lines)
/// LF                  (an empty line: the rest is the body)
/// BODY
/// ```
///
/// `CR LF` works wherever `LF` does. Without an empty line there is no body.
///
/// ```
/// let m = tencentcloud_cvm_fuzz::split_message(b"200\r\nDate: x\r\n\r\n{}");
/// assert_eq!(m.start, b"200");
/// assert_eq!(m.headers, vec![(&b"Date"[..], &b"x"[..])]);
/// assert_eq!(m.body, b"{}");
/// ```
pub fn split_message(data: &[u8]) -> Message<'_> {
    let mut lines = data.split_inclusive(|b| *b == b'\n');
    let first = lines.next().unwrap_or_default();
    let start = strip_cr(first.strip_suffix(b"\n").unwrap_or(first));
    let mut consumed = first.len();
    let mut headers = Vec::new();
    let mut body: &[u8] = &[];
    for raw in lines {
        consumed += raw.len();
        let line = strip_cr(raw.strip_suffix(b"\n").unwrap_or(raw));
        if line.is_empty() && raw.ends_with(b"\n") {
            body = &data[consumed..];
            break;
        }
        match line.iter().position(|b| *b == b':') {
            Some(i) => headers.push((trim_blank(&line[..i]), trim_blank(&line[i + 1..]))),
            None => headers.push((trim_blank(line), &b""[..])),
        }
    }
    Message {
        start,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(split_message(b""), Message::default());
        let m = split_message(b"GET /?a=b\nHost: h \nX\n\nbody\n\nmore");
        assert_eq!(m.start, b"GET /?a=b");
        assert_eq!(
            m.headers,
            vec![(&b"Host"[..], &b"h"[..]), (&b"X"[..], &b""[..])]
        );
        assert_eq!(m.body, b"body\n\nmore");
        let m = split_message(b"200\n\n");
        assert!(m.headers.is_empty());
        assert_eq!(m.body, b"");
        let m = split_message(b"200\nA: b");
        assert_eq!(m.headers.len(), 1);
        assert_eq!(m.body, b"");
        let m = split_message(b"\n\nxyz");
        assert_eq!(m.start, b"");
        assert_eq!(m.body, b"xyz");
    }
}
