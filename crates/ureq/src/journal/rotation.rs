//! Compaction: a journal grown past [`JournalOptions::with_rotate_above`] is replaced by
//! the fewest records that say the same of every instance that matters.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tencentcloud_cvm_core::{History, InstanceId, JournalEntry, JournalRecord};

use super::error::{JournalFileError, JournalFileErrorKind};
use super::file::{create_options, sync_dir, unix_now, JournalOptions};
use super::lines::{JournalContents, StampedRecord};

/// Writes the compact form of `bytes` (whole lines) beside `path`, syncs it, and
/// renames it over `path`: a crash leaves the old journal or the new one, whole.
/// The new file, open for appending, and its length.
pub(super) fn compact(
    path: &Path,
    bytes: &[u8],
    options: &JournalOptions,
) -> Result<(File, u64), JournalFileError> {
    let error = |e| JournalFileError::io(JournalFileErrorKind::Rotate, path, e);
    let contents = JournalContents::parse(bytes).map_err(|e| JournalFileError::line(path, e))?;
    let now = unix_now();
    let text = compact_lines(&contents.records, &contents.history, options, now);
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".compact");
    let temporary = PathBuf::from(temporary);
    let mut file = create_options()
        .write(true)
        .truncate(true)
        .open(&temporary)
        .map_err(error)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_data())
        .map_err(error)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(error)?;
    sync_dir(path.parent().unwrap_or(Path::new("."))).map_err(error)?;
    let file = create_options()
        .read(true)
        .append(true)
        .open(path)
        .map_err(error)?;
    Ok((file, text.len() as u64))
}

/// The compact journal: [`History::compact`], less the instances terminated longer
/// ago than [`JournalOptions::with_keep_terminated`], each line stamped with its
/// instance's last time.
fn compact_lines(
    records: &[StampedRecord],
    history: &History,
    options: &JournalOptions,
    now: u64,
) -> String {
    let mut last_seen: HashMap<InstanceId, u64> = HashMap::new();
    for r in records {
        let Some(at) = r.at else { continue };
        for id in instances(&r.record) {
            let seen = last_seen.entry(id).or_default();
            *seen = (*seen).max(at);
        }
    }
    let oldest = now.saturating_sub(options.keep_terminated.as_secs());
    let mut text = String::new();
    for record in history.compact() {
        let ids = instances(&record);
        let at = ids.iter().filter_map(|id| last_seen.get(id)).max().copied();
        let forgotten = ids.iter().all(|id| {
            history
                .prior(id)
                .is_some_and(|p| p.terminated() && !p.maybe_processed())
        }) && at.is_some_and(|at| at < oldest);
        if !forgotten {
            text.push_str(&StampedRecord::line(&record, at.unwrap_or(now)));
        }
    }
    text
}

fn instances(record: &JournalRecord) -> Vec<InstanceId> {
    match &record.entry {
        JournalEntry::Intent(i) => i.instances.clone(),
        JournalEntry::Answer(a) => a.instances.clone(),
        JournalEntry::Outcome(o) => vec![o.instance.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn records(lines: &str) -> (Vec<StampedRecord>, History) {
        let c = JournalContents::parse(lines.as_bytes()).unwrap();
        (c.records, c.history)
    }

    #[test]
    fn terminated_instances_are_forgotten_after_a_while_and_doubts_never() {
        let journal = concat!(
            r#"{"v":1,"type":"intent","batch":0,"attempt":1,"instances":["ins-00000001","ins-00000002"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false,"at":100}"#,
            "\n",
            r#"{"v":1,"type":"answer","batch":0,"attempt":1,"instances":["ins-00000001","ins-00000002"],"result":"accepted","request_id":"r-1","code":null,"message":null,"at":100}"#,
            "\n",
            r#"{"v":1,"type":"intent","batch":1,"attempt":1,"instances":["ins-00000003"],"charge_type":"PREPAID","prepaid_like":true,"read":true,"destroy":false,"at":100}"#,
            "\n",
            r#"{"v":1,"type":"answer","batch":1,"attempt":1,"instances":["ins-00000004"],"result":"accepted","request_id":"r-2","code":null,"message":null,"at":5000}"#,
            "\n",
        );
        let (stamped, history) = records(journal);
        let options = JournalOptions::new().with_keep_terminated(Duration::from_secs(1000));
        let text = compact_lines(&stamped, &history, &options, 5500);
        let kept = History::parse(text.as_bytes()).unwrap();
        let prior = |id: &str| kept.prior(&id.parse().unwrap()).cloned();
        // Terminated at 100, older than 1000 s at 5500: forgotten.
        assert_eq!(prior("ins-00000001"), None);
        assert_eq!(prior("ins-00000002"), None);
        // An intent no answer closed: kept, however old.
        assert!(prior("ins-00000003").unwrap().maybe_processed());
        // Terminated recently: kept, with its RequestId and time.
        assert_eq!(prior("ins-00000004").unwrap().request_ids(), ["r-2"]);
        assert!(text.contains("\"at\":5000}"), "{text}");
        // Kept for longer, nothing is forgotten.
        let all = compact_lines(&stamped, &history, &JournalOptions::new(), 5500);
        assert_eq!(
            History::parse(all.as_bytes()).unwrap().instances().count(),
            4
        );
    }
}
