//! [`StampedRecord`] and [`JournalContents`]: the journal's lines as this module
//! writes them (the core's records, each with the time it was written) and reads
//! them back to show.

use std::path::Path;

use tencentcloud_cvm_core::{History, JournalError, JournalRecord};

use super::error::{JournalFileError, JournalFileErrorKind};

/// A record as a line of the journal file: the core's [`JournalRecord`] and `"at"`,
/// the Unix time (seconds) it was written, when the line has one.
///
/// ```
/// use tencentcloud_cvm_core::JournalRecord;
/// use tencentcloud_cvm_ureq::StampedRecord;
/// let record = JournalRecord::parse_line(r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-r8hr2upy"],"result":"accepted","request_id":"r-1","code":null,"message":null}"#)?;
/// let line = StampedRecord::line(&record, 1_764_000_000);
/// assert!(line.ends_with(",\"at\":1764000000}\n"));
/// let back = StampedRecord::parse(&line).unwrap();
/// assert_eq!((back.at, &back.record), (Some(1_764_000_000), &record));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StampedRecord {
    /// When it was written (Unix time, seconds), if the line says.
    pub at: Option<u64>,
    /// The record.
    pub record: JournalRecord,
}

impl StampedRecord {
    /// `record` as the line this module writes: its JSON with `"at"` added last,
    /// newline included. Readers of the format ignore the field.
    pub fn line(record: &JournalRecord, at: u64) -> String {
        let line = record.to_line();
        let body = line.trim_end().strip_suffix('}').unwrap_or(line.trim_end());
        format!("{body},\"at\":{at}}}\n")
    }

    /// Reads one line (its newline optional); `None` if it is not a record.
    pub fn parse(line: &str) -> Option<StampedRecord> {
        let record = JournalRecord::parse_line(line).ok()?;
        Some(StampedRecord {
            at: stamp(line),
            record,
        })
    }
}

/// The `"at"` this module writes at the end of a line.
fn stamp(line: &str) -> Option<u64> {
    let body = line.trim_end().strip_suffix('}')?;
    let (_, digits) = body.rsplit_once(",\"at\":")?;
    digits.parse().ok()
}

/// What a journal file holds, read without its lock (to show it while a run
/// writes): its records, and what they fold into.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JournalContents {
    /// Every record, in order.
    pub records: Vec<StampedRecord>,
    /// The records folded per instance.
    pub history: History,
}

impl JournalContents {
    /// Reads the journal at `path` (an absent file holds nothing). A last line cut
    /// short is left out, as [`History::parse`] leaves it; any other line that
    /// cannot be read is an error.
    pub fn read(path: &Path) -> Result<JournalContents, JournalFileError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(JournalFileError::io(JournalFileErrorKind::Read, path, e)),
        };
        JournalContents::parse(&bytes).map_err(|e| JournalFileError::line(path, e))
    }

    /// Reads a journal's bytes.
    pub fn parse(bytes: &[u8]) -> Result<JournalContents, JournalError> {
        let history = History::parse(bytes)?;
        // History::parse accepted every line but a torn last one: each is a record.
        let records = bytes
            .split(|&b| b == b'\n')
            .filter_map(|l| std::str::from_utf8(l).ok())
            .filter(|l| !l.trim().is_empty())
            .filter_map(StampedRecord::parse)
            .collect();
        Ok(JournalContents { records, history })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_without_a_stamp_is_read_too() {
        let plain = r#"{"v":1,"type":"outcome","instance":"ins-r8hr2upy","outcome":"terminated","code":null,"request_id":"r-1","message":null,"prepaid_like":false,"may_have_been_acted_on":true,"closes":0}"#;
        let r = StampedRecord::parse(plain).unwrap();
        assert_eq!(r.at, None);
        let stamped = StampedRecord::line(&r.record, 7);
        assert_eq!(StampedRecord::parse(&stamped).unwrap().at, Some(7));
        assert_eq!(StampedRecord::parse("{\"v\":1}"), None);
    }

    #[test]
    fn contents_leave_out_a_torn_tail_and_refuse_a_bad_line_within() {
        let good = r#"{"v":1,"type":"outcome","instance":"ins-r8hr2upy","outcome":"terminated","code":null,"request_id":"r-1","message":null,"prepaid_like":false,"may_have_been_acted_on":true,"closes":0,"at":3}"#;
        let torn = format!("{good}\n{}", &good[..40]);
        let c = JournalContents::parse(torn.as_bytes()).unwrap();
        assert_eq!(c.records.len(), 1);
        assert!(c.history.torn_tail());
        let within = format!("{}\n{good}\n", &good[..40]);
        assert!(JournalContents::parse(within.as_bytes()).is_err());
    }
}
