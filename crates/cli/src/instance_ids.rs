//! The instance IDs of a command: its arguments, `-` standing for standard input.

use std::io::{self, Read};

use tencentcloud_cvm::sans_io::DistinctInstanceIds;

use crate::cli_error::CliError;

/// The most IDs standard input may hold.
pub const MAX_STDIN_IDS: usize = 100_000;
/// The most bytes read from standard input: room for [`MAX_STDIN_IDS`] IDs with
/// generous whitespace, and a bound on a runaway producer (`yes ins-... |`).
pub const MAX_STDIN_BYTES: u64 = 4 << 20;

/// The distinct, well-formed IDs of a command, in order: its arguments with `-`
/// read from standard input. Every ID is checked before anything starts or is
/// sent; none at all is an error unless `demo` (the emulator makes some).
pub fn gather(args: &[String], demo: bool) -> Result<Vec<String>, CliError> {
    let given = collect(args, stdin())?;
    let distinct = DistinctInstanceIds::new(&given).map_err(|e| CliError::caused_by("", &e))?;
    if distinct.duplicates_removed() > 0 {
        log::info!("{} repeated ID(s) ignored", distinct.duplicates_removed());
    }
    if distinct.instances().is_empty() && !demo {
        return Err(CliError::new(
            "no instance IDs given (pass them as arguments, or `-` to read them from standard input)",
        ));
    }
    Ok(distinct.instances().iter().map(|i| i.to_string()).collect())
}

/// Like [`gather`], but none at all is no error: a selection by filters names no IDs.
pub fn gather_any(args: &[String]) -> Result<Vec<String>, CliError> {
    gather(args, true)
}

/// The arguments in order, each `-` replaced by the whitespace-separated words
/// of `input` (read once, at the first `-`, at most [`MAX_STDIN_BYTES`] and
/// [`MAX_STDIN_IDS`] words: more is an error). Not validated here.
pub fn collect(args: &[String], input: impl Read) -> Result<Vec<String>, CliError> {
    let mut input = Some(input);
    let mut ids = Vec::with_capacity(args.len());
    for arg in args {
        if arg != "-" {
            ids.push(arg.clone());
            continue;
        }
        if let Some(reader) = input.take() {
            ids.extend(read_ids(reader)?);
        }
    }
    Ok(ids)
}

/// The words of `reader`, within the bounds.
fn read_ids(reader: impl Read) -> Result<Vec<String>, CliError> {
    let too_many = || {
        CliError::new(format!(
            "standard input holds more than {MAX_STDIN_IDS} instance IDs (or {} MiB): pass at \
             most {MAX_STDIN_IDS} per run; nothing was sent",
            MAX_STDIN_BYTES >> 20
        ))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::caused_by("cannot read instance IDs from standard input", &e))?;
    if bytes.len() as u64 > MAX_STDIN_BYTES {
        return Err(too_many());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::caused_by(
            "cannot read instance IDs from standard input",
            &e.utf8_error(),
        )
    })?;
    let ids: Vec<String> = text
        .split_whitespace()
        .take(MAX_STDIN_IDS + 1)
        .map(str::to_owned)
        .collect();
    if ids.len() > MAX_STDIN_IDS {
        return Err(too_many());
    }
    Ok(ids)
}

/// Standard input, locked.
fn stdin() -> impl Read {
    io::stdin().lock()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dash_reads_standard_input_once_in_place() {
        let input = "ins-00000002\n ins-00000003\tins-00000004\n\n".as_bytes();
        let ids = collect(&args(&["ins-00000001", "-", "ins-00000005", "-"]), input).unwrap();
        assert_eq!(
            ids,
            [
                "ins-00000001",
                "ins-00000002",
                "ins-00000003",
                "ins-00000004",
                "ins-00000005"
            ]
        );
    }

    #[test]
    fn without_dash_standard_input_is_not_read() {
        struct Unread;
        impl Read for Unread {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                panic!("standard input was read")
            }
        }
        assert_eq!(collect(&args(&["ins-1"]), Unread).unwrap(), ["ins-1"]);
    }

    #[test]
    fn standard_input_is_read_within_bounds() {
        // An endless producer: read up to the bound, then refused.
        let endless = std::io::repeat(b'x').take(u64::MAX);
        let e = collect(&args(&["-"]), endless).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("standard input holds more than 100000 instance IDs"),
            "{e}"
        );
        let many = "ins-aaaaaaaa\n".repeat(MAX_STDIN_IDS + 1);
        assert!(collect(&args(&["-"]), many.as_bytes()).is_err());
        let enough = "ins-aaaaaaaa\n".repeat(MAX_STDIN_IDS);
        assert_eq!(
            collect(&args(&["-"]), enough.as_bytes()).unwrap().len(),
            MAX_STDIN_IDS
        );
    }

    #[test]
    fn unreadable_input_is_an_error() {
        let e = collect(&args(&["-"]), &[0xff, 0xfe][..]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot read instance IDs from standard input: "),
            "{e}"
        );
    }
}
