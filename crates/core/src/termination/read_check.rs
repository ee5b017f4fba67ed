//! Whether a DescribeInstances answer can be believed, before any of it decides
//! anything: exactly one entry per ID, and a read consistent with itself (the
//! listing pager's rules for a read by IDs: `TotalCount` equal to the entries and at
//! most the IDs asked for, no ID that was not asked for).
//!
//! | the read | each instance asked for |
//! | --- | --- |
//! | lists its ID more than once | `FailClosed.DuplicateEntry` |
//! | contradicts itself otherwise | `FailClosed.InconsistentRead` (one cannot tell which entry to believe) |
//! | lists it once | found |
//! | does not list it | absent |

use std::collections::HashMap;

use crate::actions::describe_instances::{DescribeInstances, DescribeInstancesResponse};
use crate::actions::instance_listing::InstanceListing;
use crate::model::client_code::ClientCode;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;

/// What a read says of one instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Entry<'a> {
    /// Listed once, in a sound read.
    Found(&'a Instance),
    /// Not listed, in a sound read.
    Absent,
    /// The read cannot be believed about it.
    Unsound { code: ClientCode, message: String },
}

impl<'a> Entry<'a> {
    /// The instance read: `Ok(None)` when absent, `Err` when the read is unsound.
    pub(crate) fn found(&self) -> Result<Option<&'a Instance>, (ClientCode, String)> {
        match self {
            Entry::Found(i) => Ok(Some(i)),
            Entry::Absent => Ok(None),
            Entry::Unsound { code, message } => Err((*code, message.clone())),
        }
    }
}

/// A read, checked against the IDs it asked for.
pub(crate) struct CheckedRead<'a> {
    read: &'a DescribeInstancesResponse,
    counts: HashMap<&'a InstanceId, usize>,
    /// Why the read as a whole cannot be believed, if it cannot.
    unsound: Option<String>,
}

impl<'a> CheckedRead<'a> {
    /// Checks `read`, the answer to a DescribeInstances for `asked`.
    pub(crate) fn new(read: &'a DescribeInstancesResponse, asked: &[InstanceId]) -> Self {
        let mut counts = HashMap::new();
        for entry in &read.instance_set {
            *counts.entry(&entry.instance_id).or_insert(0) += 1;
        }
        let unsound = match InstanceIdList::from_batch(asked.to_vec()) {
            list if list.is_empty() => None,
            list => {
                let mut listing = InstanceListing::new(DescribeInstances::for_list(list));
                listing
                    .handle_page(read.clone())
                    .err()
                    .map(|e| e.to_string())
            }
        };
        CheckedRead {
            read,
            counts,
            unsound,
        }
    }

    /// Whether the read as a whole can be believed.
    #[cfg(test)]
    pub(crate) fn is_sound(&self) -> bool {
        self.unsound.is_none()
    }

    /// What the read says of `id`.
    pub(crate) fn entry(&self, id: &InstanceId) -> Entry<'a> {
        let listed = self.counts.get(id).copied().unwrap_or(0);
        if listed > 1 {
            let states: Vec<String> = self
                .read
                .instance_set
                .iter()
                .filter(|i| &i.instance_id == id)
                .map(|i| {
                    i.instance_state
                        .as_ref()
                        .map_or("null".to_owned(), |s| s.as_str().escape_debug().to_string())
                })
                .collect();
            return Entry::Unsound {
                code: ClientCode::DuplicateEntry,
                message: format!(
                    "DescribeInstances (RequestId {}) listed the instance {listed} times (states {}); \
                     not sent",
                    self.read.request_id.escape_debug(),
                    states.join(", ")
                ),
            };
        }
        if let Some(why) = &self.unsound {
            return Entry::Unsound {
                code: ClientCode::InconsistentRead,
                message: format!(
                    "DescribeInstances (RequestId {}) contradicts itself: {why}; not sent",
                    self.read.request_id.escape_debug()
                ),
            };
        }
        match self.read.instance_set.iter().find(|i| &i.instance_id == id) {
            Some(i) => Entry::Found(i),
            None => Entry::Absent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<InstanceId> {
        list.iter().map(|s| InstanceId::parse(s).unwrap()).collect()
    }

    fn read(total: u64, entries: &[(&str, &str)]) -> DescribeInstancesResponse {
        let set: Vec<String> = entries
            .iter()
            .map(|(id, state)| format!(r#"{{"InstanceId":"{id}","InstanceState":"{state}"}}"#))
            .collect();
        serde_json::from_str(&format!(
            r#"{{"TotalCount":{total},"InstanceSet":[{}],"RequestId":"r-read"}}"#,
            set.join(",")
        ))
        .unwrap()
    }

    const A: &str = "ins-0000000a";
    const B: &str = "ins-0000000b";

    fn code(e: &Entry) -> Option<ClientCode> {
        match e {
            Entry::Unsound { code, .. } => Some(*code),
            _ => None,
        }
    }

    #[test]
    fn a_sound_read_finds_and_misses() {
        let asked = ids(&[A, B]);
        let r = read(1, &[(A, "RUNNING")]);
        let c = CheckedRead::new(&r, &asked);
        assert!(c.is_sound());
        assert!(matches!(c.entry(&asked[0]), Entry::Found(_)));
        assert_eq!(c.entry(&asked[1]), Entry::Absent);
    }

    #[test]
    fn an_id_listed_twice_is_a_duplicate_and_spoils_the_rest() {
        let asked = ids(&[A, B]);
        let r = read(2, &[(A, "SHUTDOWN"), (A, "RUNNING"), (B, "RUNNING")]);
        let c = CheckedRead::new(&r, &asked);
        let Entry::Unsound { code, message } = c.entry(&asked[0]) else {
            panic!()
        };
        assert_eq!(code, ClientCode::DuplicateEntry);
        assert!(message.contains("SHUTDOWN, RUNNING"), "{message}");
        assert_eq!(code_of(&c, &asked[1]), Some(ClientCode::InconsistentRead));
    }

    fn code_of(c: &CheckedRead, id: &InstanceId) -> Option<ClientCode> {
        code(&c.entry(id))
    }

    #[test]
    fn a_read_that_contradicts_itself_is_believed_about_nothing() {
        let asked = ids(&[A, B]);
        for r in [
            // An empty set whose TotalCount says 1.
            read(1, &[]),
            read(2, &[(A, "RUNNING")]),
            // An ID not asked for.
            read(2, &[(A, "RUNNING"), ("ins-0000000c", "RUNNING")]),
            // More than asked for.
            read(3, &[(A, "RUNNING"), (B, "RUNNING")]),
        ] {
            let c = CheckedRead::new(&r, &asked);
            assert!(!c.is_sound(), "{r:?}");
            for id in &asked {
                assert_eq!(code_of(&c, id), Some(ClientCode::InconsistentRead), "{r:?}");
            }
        }
    }
}
