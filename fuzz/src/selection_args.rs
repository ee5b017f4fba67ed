//! Target `selection_args`: a selection given as a command line gives it (IDs,
//! `--filter`, `--tag`, `--older-than`, `--name`, `--exclude-id`, `--exclude-tag`,
//! `--all`), built, turned into its reads, and deciding an instance read back.

use tencentcloud_cvm_core::{
    parse_age, Decision, Instance, NameGlob, Selection, SelectionError, TagPattern,
};

/// The caller's clock the instances are judged against.
const NOW: u64 = 1_700_000_000;

/// The body of target `selection_args`.
///
/// ```text
/// KIND TAB TEXT LF     one argument per line: id, filter, tag, older-than, name,
///                      exclude-id, exclude-tag, all (any other kind is ignored)
/// -- LF                optional: the rest is a DescribeInstances entry (JSON)
/// INSTANCE
/// ```
///
/// Invalid UTF-8 is replaced by U+FFFD. Invariants:
/// * building never panics; a refusal is one line without control characters;
/// * each argument's own parser agrees: an age accepted is more than zero, a tag
///   pattern prints back to what parses to itself, a glob without `*`, `?` or `\`
///   matches exactly itself;
/// * what is accepted: at most 10 filters; its one-line description has no control
///   characters; its reads are refused exactly when it names no ID and no filter and
///   is not `all`, and by IDs they cover every ID once, at most 100 each;
/// * against the instance (when it parses): a selected instance meets every
///   condition (not an excluded ID; old enough by a `CreatedTime` read; its name read
///   and matching; its tags read and carrying no excluded tag).
pub fn selection_args(data: &[u8]) {
    let _ = selection_outcome(data);
}

/// Runs target `selection_args` and says what came of it: `ok` (then `selected`
/// or `left out` when an instance was given, or `unbounded`), or the refusal.
pub fn selection_outcome(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let (args, instance) = match text.split_once("\n--\n") {
        Some((a, i)) => (a, Some(i)),
        None => (text.as_ref(), None),
    };
    let mut builder = Selection::builder();
    for line in args.lines() {
        let (kind, value) = line.split_once('\t').unwrap_or((line, ""));
        check_alone(kind, value);
        builder = match kind {
            "id" => builder.id(value),
            "filter" => builder.filter(value),
            "tag" => builder.tag(value),
            "older-than" => builder.older_than(value),
            "name" => builder.name(value),
            "exclude-id" => builder.exclude_id(value),
            "exclude-tag" => builder.exclude_tag(value),
            "all" => builder.all(true),
            _ => builder,
        };
    }
    let selection = match builder.build() {
        Ok(s) => s,
        Err(e) => return refused(&e),
    };
    check_accepted(&selection);
    let Some(instance) = instance.and_then(|t| serde_json::from_str::<Instance>(t).ok()) else {
        return "ok".to_owned();
    };
    match selection.decide(&instance, NOW) {
        Decision::Selected => {
            check_selected(&selection, &instance);
            "ok selected".to_owned()
        }
        Decision::LeftOut(why) => {
            assert!(!why.is_empty());
            "ok left out".to_owned()
        }
        _ => "ok".to_owned(),
    }
}

fn refused(e: &SelectionError) -> String {
    let message = e.to_string();
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(message.chars().count() < 2000, "{message}");
    drop(format!("{e:?}"));
    match e {
        SelectionError::Unbounded => "unbounded".to_owned(),
        SelectionError::Invalid(v) => v.code().to_string(),
        SelectionError::Argument { argument, .. } => format!("bad {argument}"),
        _ => "refused".to_owned(),
    }
}

/// Each argument's own parser, on its own.
fn check_alone(kind: &str, value: &str) {
    match kind {
        "older-than" => {
            if let Ok(age) = parse_age(value) {
                assert!(!age.is_zero());
            }
        }
        "exclude-tag" => {
            if let Ok(tag) = TagPattern::parse(value) {
                assert_eq!(tag.to_string(), value);
                assert_eq!(TagPattern::parse(&tag.to_string()).as_ref(), Ok(&tag));
            }
        }
        "name" => {
            if let Ok(glob) = NameGlob::parse(value) {
                assert_eq!(glob.as_str(), value);
                if !value.contains(['*', '?', '\\']) {
                    assert!(glob.matches(value));
                    assert!(!glob.matches(&format!("{value}x")));
                }
                if value.chars().all(|c| c == '*') {
                    assert!(glob.matches("anything") && glob.matches(""));
                }
            }
        }
        _ => {}
    }
}

fn check_accepted(selection: &Selection) {
    if let Some(filters) = selection.filters() {
        assert!((1..=10).contains(&filters.len()));
    }
    let shown = selection.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    let unbounded = selection.is_unbounded() && !selection.is_all();
    match selection.requests() {
        Err(SelectionError::Unbounded) => assert!(unbounded),
        Err(e) => panic!("{e}"),
        Ok(requests) => {
            assert!(!unbounded);
            let ids = selection.instance_ids();
            if ids.is_empty() {
                assert_eq!(requests.len(), 1);
                assert_eq!(requests[0].filters(), selection.filters());
            } else {
                let asked: Vec<_> = requests.iter().flat_map(|r| r.instance_ids()).collect();
                assert_eq!(asked.len(), ids.len());
                assert!(asked.iter().zip(ids).all(|(a, b)| *a == b));
                assert!(requests
                    .iter()
                    .all(|r| (1..=100).contains(&r.instance_ids().len())));
                assert!(requests.iter().all(|r| r.filters().is_none()));
            }
        }
    }
}

fn check_selected(selection: &Selection, instance: &Instance) {
    assert!(!selection.excluded_ids().contains(&instance.instance_id));
    if let Some(age) = selection.older_than() {
        let created = instance.created_at().expect("an age was read");
        assert!(NOW.saturating_sub(created) > age.as_secs());
    }
    if let Some(glob) = selection.name() {
        let name = instance.instance_name.as_deref().expect("a name was read");
        assert!(glob.matches(name));
    }
    for tag in selection.excluded_tags() {
        assert_eq!(tag.matches(instance), Some(false));
    }
}
