//! [`RegionReads`]: a selection read in several regions, each instance placed in
//! the one region that has it, or failed where the reads cannot say which.

use crate::model::error_code::ErrorCode;
use crate::model::instance_id::InstanceId;
use crate::selection::reader::ReadError;
use crate::selection::Selection;
use crate::termination::preflight_read::{PreflightRead, ReadEntry, Seen};

/// A read taken apart: its entries, RequestIds and how many instances it listed.
type ReadParts = (Vec<ReadEntry>, Vec<String>, usize);

/// One region's read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegionRead {
    /// The region.
    pub region: String,
    /// What it read, or why it could not.
    pub read: Result<PreflightRead, ReadError>,
}

/// A selection read in each of several regions, resolved so that every instance
/// ends in one place ([`resolve`](Self::resolve)):
///
/// | read | goes to |
/// | --- | --- |
/// | found (or left out) in exactly one region | that region's run |
/// | found in two or more | failed `Client.AmbiguousRegion`, never sent, in no region |
/// | an ID named, found in none | failed `InvalidInstanceId.NotFound`, in no region |
/// | an ID named, found in none, some region not read | failed with that read's error, in no region |
/// | an ID named, found in one, another region not read | failed: whether the other has it too cannot be told |
///
/// With one region, an ID not found is that region's (`NotFound` there, as a run by
/// IDs reports it), and a read that failed fails each ID named in that region.
///
/// ```
/// use tencentcloud_cvm_core::{RegionReads, Selection};
/// let selection = Selection::by_ids(["ins-r8hr2upy"])?;
/// let mut reads = RegionReads::new(&selection);
/// reads.push("ap-guangzhou", Ok(Default::default()));
/// reads.push("ap-shanghai", Ok(Default::default()));
/// let (regions, unplaced) = reads.resolve();
/// assert_eq!(regions.len(), 2);
/// // Named, and in neither region's read: not found, in no region.
/// assert_eq!(unplaced.entries()[0].id.as_str(), "ins-r8hr2upy");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct RegionReads {
    named: Vec<InstanceId>,
    reads: Vec<RegionRead>,
}

impl RegionReads {
    /// The code of an instance found in more than one region: only a broken service
    /// lists one instance in two regions, and neither read can be trusted, so it is
    /// never sent.
    pub const AMBIGUOUS_REGION: &'static str = "Client.AmbiguousRegion";

    /// Reads of `selection` to come.
    pub fn new(selection: &Selection) -> RegionReads {
        RegionReads {
            named: selection.instance_ids().to_vec(),
            reads: Vec::new(),
        }
    }

    /// `region`'s read.
    pub fn push(&mut self, region: impl Into<String>, read: Result<PreflightRead, ReadError>) {
        self.reads.push(RegionRead {
            region: region.into(),
            read,
        });
    }

    /// Each region's read with the instances placed elsewhere (or nowhere) taken out,
    /// and the instances placed in no region, each failed.
    pub fn resolve(self) -> (Vec<RegionRead>, PreflightRead) {
        let RegionReads { named, reads } = self;
        if reads.len() == 1 && !named.is_empty() {
            return (
                reads.into_iter().map(|r| one_region(r, &named)).collect(),
                PreflightRead::default(),
            );
        }
        let regions: Vec<String> = reads.iter().map(|r| r.region.clone()).collect();
        let mut parts: Vec<Result<ReadParts, ReadError>> = reads
            .into_iter()
            .map(|r| r.read.map(PreflightRead::into_parts))
            .collect();
        // Where each instance was read.
        let mut seen_in: Vec<(InstanceId, Vec<usize>, Option<Seen>)> = Vec::new();
        for (r, part) in parts.iter().enumerate() {
            let Ok((entries, _, _)) = part else { continue };
            for entry in entries {
                if entry.seen.instance().is_none() {
                    continue;
                }
                match seen_in.iter_mut().find(|(id, _, _)| *id == entry.id) {
                    Some((_, at, _)) => at.push(r),
                    None => seen_in.push((entry.id.clone(), vec![r], Some(entry.seen.clone()))),
                }
            }
        }
        let failed: Vec<(usize, ReadError)> = parts
            .iter()
            .enumerate()
            .filter_map(|(r, p)| p.as_ref().err().map(|e| (r, e.clone())))
            .collect();
        let mut unplaced = Vec::new();
        let mut remove: Vec<InstanceId> = Vec::new();
        // Named IDs first, in the order named; then any other instance read twice.
        let mut order: Vec<InstanceId> = named.clone();
        order.extend(
            seen_in
                .iter()
                .filter(|(id, at, _)| at.len() > 1 && !named.contains(id))
                .map(|(id, _, _)| id.clone()),
        );
        for id in order {
            let found = seen_in.iter().find(|(i, _, _)| *i == id);
            let at: &[usize] = found.map_or(&[], |(_, at, _)| at);
            let instance = found
                .and_then(|(_, _, seen)| seen.as_ref())
                .and_then(|s| s.instance().cloned())
                .map(Box::new);
            let names = |list: &[usize]| {
                list.iter()
                    .map(|&r| regions[r].as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let failed_names = names(&failed.iter().map(|(r, _)| *r).collect::<Vec<_>>());
            let seen = if at.len() > 1 {
                Seen::Failed {
                    instance,
                    code: Some(ErrorCode::parse(Self::AMBIGUOUS_REGION)),
                    message: format!(
                        "found in more than one region ({}): the regions' reads contradict each other",
                        names(at)
                    ),
                    request_id: None,
                }
            } else if named.is_empty() {
                continue;
            } else if at.len() == 1 && failed.is_empty() {
                // Placed: only its region keeps it.
                for (r, part) in parts.iter_mut().enumerate() {
                    if let Ok((entries, _, _)) = part
                        && r != at[0]
                    {
                        entries.retain(|e| e.id != id);
                    }
                }
                continue;
            } else if at.len() == 1 {
                let (_, error) = &failed[0];
                Seen::Failed {
                    instance,
                    code: None,
                    message: format!(
                        "found in {}, but {failed_names} could not be read ({error}): whether it \
                         is there too cannot be told",
                        names(at)
                    ),
                    request_id: None,
                }
            } else if let Some((_, error)) = failed.first() {
                Seen::Failed {
                    instance: None,
                    code: error.code().cloned(),
                    message: format!(
                        "the read before sending failed in {failed_names}: {}",
                        error.message()
                    ),
                    request_id: error.request_id().map(str::to_owned),
                }
            } else {
                Seen::Failed {
                    instance: None,
                    code: Some(ErrorCode::InvalidInstanceIdNotFound),
                    message: format!(
                        "the instance does not exist in any region read ({}): not returned by \
                         DescribeInstances",
                        regions.join(", ")
                    ),
                    request_id: None,
                }
            };
            remove.push(id.clone());
            unplaced.push(ReadEntry { id, seen });
        }
        let regions = regions
            .into_iter()
            .zip(parts)
            .map(|(region, part)| RegionRead {
                region,
                read: part.map(|(mut entries, request_ids, listed)| {
                    entries.retain(|e| !remove.contains(&e.id));
                    PreflightRead::new(entries, request_ids, listed)
                }),
            })
            .collect();
        (regions, PreflightRead::new(unplaced, Vec::new(), 0))
    }
}

/// A selection by IDs read in one region: a failed read fails each ID there.
fn one_region(read: RegionRead, named: &[InstanceId]) -> RegionRead {
    let RegionRead { region, read } = read;
    let read = match read {
        Ok(read) => read,
        Err(error) => {
            let entries = named
                .iter()
                .map(|id| ReadEntry {
                    id: id.clone(),
                    seen: Seen::Failed {
                        instance: None,
                        code: error.code().cloned(),
                        message: format!("the read before sending failed: {}", error.message()),
                        request_id: error.request_id().map(str::to_owned),
                    },
                })
                .collect();
            PreflightRead::new(entries, Vec::new(), 0)
        }
    };
    RegionRead {
        region,
        read: Ok(read),
    }
}
