//! The `journal` target: a tccvm journal (JSON lines) as a later run reads it back.

use tencentcloud_cvm_core::{History, JournalRecord};

/// Folds the input as a journal.
///
/// What must hold: [`History::parse`] never panics; it accepts a journal exactly
/// when every line but the last (which a crash may have cut) is blank or a record;
/// folding the lines it read one by one gives the same history; every record it read
/// prints back as a line that reads as the same record; and the fold's verdicts hang
/// together (an instance terminated is never also "may have been processed").
pub fn journal(data: &[u8]) {
    let parsed = History::parse(data);
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let mut records = Vec::new();
    let mut bad = None;
    for (n, line) in lines.iter().enumerate() {
        let text = std::str::from_utf8(line).ok();
        let text = text.map(|t| t.strip_suffix('\r').unwrap_or(t));
        match text {
            Some(t) if t.trim().is_empty() => {}
            Some(t) => match JournalRecord::parse_line(t) {
                Ok(r) if r.v == tencentcloud_cvm_core::JOURNAL_VERSION => records.push(r),
                _ => {
                    bad.get_or_insert(n);
                }
            },
            None => {
                bad.get_or_insert(n);
            }
        }
    }
    match (&parsed, bad) {
        (Ok(h), Some(n)) => assert!(
            n + 1 == lines.len() && h.torn_tail(),
            "line {} is bad yet accepted",
            n + 1
        ),
        (Err(e), None) => panic!("every line reads, yet: {e}"),
        (Err(e), Some(n)) => assert_eq!(e.line, n + 1, "{e}"),
        (Ok(h), None) => assert!(!h.torn_tail()),
    }
    let Ok(history) = parsed else { return };
    let mut folded = History::new();
    for r in &records {
        folded.fold(r).expect("a record of this version folds");
        let line = r.to_line();
        assert_eq!(
            JournalRecord::parse_line(&line).ok().as_ref(),
            Some(r),
            "{line}"
        );
    }
    assert_eq!(folded.records(), history.records());
    for (id, prior) in history.instances() {
        assert_eq!(folded.prior(id), Some(prior), "{id}");
        assert!(
            !(prior.terminated() && prior.maybe_processed()),
            "{id}: {prior:?}"
        );
    }
}
