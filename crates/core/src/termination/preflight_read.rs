//! [`PreflightRead`]: a read already made, which a run takes as its preflight
//! instead of reading again.

use crate::model::error_code::ErrorCode;
use crate::model::instance::Instance;
use crate::model::instance_id::InstanceId;

/// What the read showed of one instance, and so where its run starts it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seen {
    /// The read returned it and the selection chose it: judged as a preflight
    /// read is (terminated, skipped or failed by what it shows).
    Found {
        /// The instance as read.
        instance: Box<Instance>,
        /// The RequestId of the read (the page) that returned it.
        request_id: String,
    },
    /// Named by ID and not returned: it does not exist (in this region). Judged as a
    /// preflight read is: failed, `InvalidInstanceId.NotFound`.
    Absent {
        /// The RequestId of the read that did not return it.
        request_id: String,
    },
    /// Named by ID, or read, but not chosen (an exclusion, a condition it fails):
    /// ends `skipped`, never sent.
    LeftOut {
        /// The instance as read, if it was.
        instance: Option<Box<Instance>>,
        /// Why.
        reason: String,
    },
    /// Not to be sent, whatever the instance shows: the reads contradict each other
    /// (found in two regions), or it could not be read. Ends `failed`, never sent.
    Failed {
        /// The instance as read, if it was.
        instance: Option<Box<Instance>>,
        /// A code: the service's, or the client's own (`Client.AmbiguousRegion`).
        code: Option<ErrorCode>,
        /// What was seen.
        message: String,
        /// The RequestId of the read, if one answered.
        request_id: Option<String>,
    },
}

impl Seen {
    /// The instance read, if there is one.
    pub fn instance(&self) -> Option<&Instance> {
        match self {
            Seen::Found { instance, .. } => Some(instance),
            Seen::LeftOut { instance, .. } | Seen::Failed { instance, .. } => instance.as_deref(),
            Seen::Absent { .. } => None,
        }
    }
}

/// One instance of a [`PreflightRead`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadEntry {
    /// The instance.
    pub id: InstanceId,
    /// What the read showed.
    pub seen: Seen,
}

/// The read a run starts from, made before it (by a [`SelectionRead`](crate::SelectionRead)):
/// every instance it selected, each with the RequestId of the page that read it, and
/// every ID it was asked for, found or not. A run made from it
/// ([`Termination::from_read`](crate::Termination::from_read)) reads nothing before
/// sending: it judges each instance on this read exactly as its own preflight read
/// would be judged.
///
/// Its entries are distinct instances. The pages it comes from were checked against
/// each other ([`InstanceListing`](crate::InstanceListing): the same `TotalCount`, no
/// instance twice, no ID not asked for, no entry contradicting a filter); a listing
/// that failed a check is no read at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreflightRead {
    entries: Vec<ReadEntry>,
    request_ids: Vec<String>,
    listed: usize,
}

impl PreflightRead {
    /// A read of `entries` (distinct IDs), made by the requests `request_ids`, which
    /// returned `listed` instances in all.
    pub(crate) fn new(entries: Vec<ReadEntry>, request_ids: Vec<String>, listed: usize) -> Self {
        debug_assert!({
            let mut ids: Vec<&InstanceId> = entries.iter().map(|e| &e.id).collect();
            ids.sort();
            ids.windows(2).all(|w| w[0] != w[1])
        });
        PreflightRead {
            entries,
            request_ids,
            listed,
        }
    }

    /// Every instance, in the order read (IDs asked for: in the order named).
    pub fn entries(&self) -> &[ReadEntry] {
        &self.entries
    }

    /// The instances chosen ([`Seen::Found`]), in order.
    pub fn selected(&self) -> impl Iterator<Item = &Instance> {
        self.entries.iter().filter_map(|e| match &e.seen {
            Seen::Found { instance, .. } => Some(&**instance),
            _ => None,
        })
    }

    /// How many instances were chosen.
    pub fn selected_count(&self) -> usize {
        self.selected().count()
    }

    /// The RequestIds of the reads (pages) made, in order.
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// How many instances the reads returned, chosen or not.
    pub fn listed(&self) -> usize {
        self.listed
    }

    /// Whether it holds no instance.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many instances it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Takes the entries out (for regrouping, see [`RegionReads`](crate::RegionReads)).
    pub(crate) fn into_parts(self) -> (Vec<ReadEntry>, Vec<String>, usize) {
        (self.entries, self.request_ids, self.listed)
    }
}
