//! `tccvm journal show` and `tccvm journal path`: what the journal of earlier
//! terminate runs holds, and where it is. Read without taking the lock, so they
//! work while a run writes.

use std::path::PathBuf;

use serde_json::{json, Value};
use tencentcloud_cvm::journal::{JournalContents, StampedRecord};

use crate::args::{JournalCommand, JournalPathArgs, JournalShowArgs};
use crate::cli_error::CliError;
use crate::exit_status::{print_all, ExitStatus};
use crate::journal_files::Location;
use crate::terminal_text::escape;

/// Runs `tccvm journal …`.
pub fn run(command: &JournalCommand) -> Result<ExitStatus, CliError> {
    match command {
        JournalCommand::Show(args) => show(args),
        JournalCommand::Path(args) => path(args),
    }
}

fn path(args: &JournalPathArgs) -> Result<ExitStatus, CliError> {
    let location = Location::of(args.journal.as_deref())?;
    let path = match (&location, &args.region) {
        (_, Some(region)) => location.file(region)?,
        (Location::Dir(dir), None) => dir.path().to_owned(),
        (Location::File(file), None) => file.clone(),
    };
    Ok(print_all(format!("{}\n", path.display()).as_bytes()))
}

/// The journals to show: (region, file).
fn journals(args: &JournalShowArgs) -> Result<Vec<(String, PathBuf)>, CliError> {
    let location = Location::of(args.journal.as_deref())?;
    Ok(match (&location, &args.region) {
        (_, Some(region)) => vec![(region.clone(), location.file(region)?)],
        (Location::Dir(dir), None) => dir.journals().map_err(|e| CliError::caused_by("", &e))?,
        (Location::File(file), None) => {
            let region = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            vec![(region, file.clone())]
        }
    })
}

fn show(args: &JournalShowArgs) -> Result<ExitStatus, CliError> {
    let mut shown = Vec::new();
    for (region, path) in journals(args)? {
        let contents = JournalContents::read(&path).map_err(|e| CliError::caused_by("", &e))?;
        shown.push((region, path, contents));
    }
    let text = if args.output == "json" {
        let journals: Vec<Value> = shown
            .iter()
            .map(|(region, path, c)| {
                json!({
                    "region": region,
                    "path": path.display().to_string(),
                    "torn_tail": c.history.torn_tail(),
                    "instances": instances(c).iter().map(|i| json!({
                        "instance": i.id,
                        "terminated": i.terminated,
                        "maybe_processed": i.maybe_processed,
                        "prepaid_like": i.prepaid_like,
                        "request_ids": i.request_ids,
                    })).collect::<Vec<_>>(),
                    "records": c.records.iter().map(record_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let document = json!({ "journals": journals });
        let mut text = crate::json_text::to_line(&document);
        text.push('\n');
        text
    } else {
        table(&shown)
    };
    Ok(print_all(text.as_bytes()))
}

/// One instance as the journal has it.
struct Shown {
    id: String,
    terminated: bool,
    maybe_processed: bool,
    prepaid_like: bool,
    request_ids: Vec<String>,
}

fn instances(contents: &JournalContents) -> Vec<Shown> {
    let mut list: Vec<Shown> = contents
        .history
        .instances()
        .map(|(id, p)| Shown {
            id: id.to_string(),
            terminated: p.terminated(),
            maybe_processed: p.maybe_processed(),
            prepaid_like: p.prepaid_like(),
            request_ids: p.request_ids().to_vec(),
        })
        .collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list
}

fn record_json(r: &StampedRecord) -> Value {
    let mut value = serde_json::to_value(&r.record).unwrap_or(Value::Null);
    if let (Value::Object(map), Some(at)) = (&mut value, r.at) {
        map.insert("at".to_owned(), json!(at));
    }
    value
}

fn table(shown: &[(String, PathBuf, JournalContents)]) -> String {
    let mut text = String::new();
    if shown.is_empty() {
        text.push_str("No journal yet.\n");
    }
    for (region, path, c) in shown {
        let list = instances(c);
        text.push_str(&format!(
            "{} ({}): {} records, {} instances{}\n",
            escape(region),
            escape(&path.display().to_string()),
            c.records.len(),
            list.len(),
            if c.history.torn_tail() {
                ", a last line cut short (ignored)"
            } else {
                ""
            }
        ));
        if list.is_empty() {
            continue;
        }
        let says: Vec<String> = list.iter().map(says).collect();
        let width = says.iter().map(String::len).max().unwrap_or(0).max(12);
        text.push_str(&format!(
            "{:<12}  {:<width$}  REQUEST IDS\n",
            "INSTANCE", "JOURNAL SAYS"
        ));
        for (i, said) in list.iter().zip(&says) {
            let ids = if i.request_ids.is_empty() {
                "-".to_owned()
            } else {
                escape(&i.request_ids.join(",")).into_owned()
            };
            text.push_str(&format!("{:<12}  {said:<width$}  {ids}\n", escape(&i.id)));
        }
    }
    text
}

fn says(i: &Shown) -> String {
    let mut parts = Vec::new();
    if i.terminated {
        parts.push("terminated");
    }
    if i.maybe_processed {
        parts.push("may have been processed");
    }
    if !i.terminated && !i.maybe_processed {
        parts.push("not acted on");
    }
    if i.prepaid_like {
        parts.push("prepaid");
    }
    parts.join(", ")
}
