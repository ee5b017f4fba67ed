//! [`InstanceListing`]: every instance a DescribeInstances matches, read page by page,
//! refusing a listing whose pages do not agree with each other (sans-IO).
//! (See [`InstanceListing`] for the rules.)

use std::collections::HashSet;
use std::fmt;

use crate::actions::describe_instances::{DescribeInstances, DescribeInstancesResponse};
use crate::error::validation_error::ValidationError;
use crate::model::instance::Instance;
use crate::model::instance_filter_name::InstanceFilterName;
use crate::model::instance_id::InstanceId;
use crate::model::page::Page;

/// Why a listing was refused: its pages disagree with each other or with the request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListingError {
    /// `TotalCount` differs from the first page's: instances came or went meanwhile.
    TotalCountChanged {
        /// The page's `Offset`.
        offset: u64,
        /// The first page's `TotalCount`.
        first: u64,
        /// This page's.
        now: u64,
    },
    /// `TotalCount` is above the listing's bound ([`InstanceListing::with_max_total`]).
    TooManyInstances {
        /// The `TotalCount` read.
        total_count: u64,
        /// The bound.
        max: u64,
    },
    /// A page holds more or fewer entries than `Limit` and `TotalCount` call for.
    WrongPageLength {
        /// The page's `Offset`.
        offset: u64,
        /// The entries expected: `min(Limit, TotalCount − Offset)`.
        expected: u64,
        /// The entries received.
        got: usize,
    },
    /// A page after the first does not start with the last entry of the page before:
    /// the list shifted between the two reads.
    PageShifted {
        /// The page's `Offset`.
        offset: u64,
        /// The last entry of the page before.
        expected: InstanceId,
        /// This page's first entry.
        found: InstanceId,
    },
    /// The same instance listed twice.
    DuplicateInstance {
        /// The instance.
        id: InstanceId,
    },
    /// A listing by IDs returned an instance not asked for.
    NotAsked {
        /// The instance.
        id: InstanceId,
    },
    /// A listing by IDs counts more instances than were asked for.
    TotalCountExceedsAsked {
        /// The `TotalCount` read.
        total_count: u64,
        /// How many IDs were asked for.
        asked: usize,
    },
    /// A listing by filters returned an instance that the read itself shows does not
    /// match one of them: the service ignored or misread the filter.
    FilterContradicted {
        /// The instance.
        id: InstanceId,
        /// The filter it contradicts.
        filter: InstanceFilterName,
    },
    /// A page was handled when none was asked for (the listing had finished or failed).
    NotExpecting,
}

impl fmt::Display for ListingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListingError::TotalCountChanged { offset, first, now } => write!(
                f,
                "the listing changed while it was read: TotalCount was {first} on the first \
                 page and {now} on the page at offset {offset}"
            ),
            ListingError::TooManyInstances { total_count, max } => write!(
                f,
                "the listing counts {total_count} instances, more than the bound of {max}"
            ),
            ListingError::WrongPageLength {
                offset,
                expected,
                got,
            } => write!(
                f,
                "the page at offset {offset} holds {got} instances where Limit and TotalCount \
                 call for {expected}"
            ),
            ListingError::PageShifted {
                offset,
                expected,
                found,
            } => write!(
                f,
                "the listing shifted while it was read: the page at offset {offset} starts \
                 with {found}, not {expected} (the last instance of the page before)"
            ),
            ListingError::DuplicateInstance { id } => {
                write!(f, "the listing names {id} more than once")
            }
            ListingError::NotAsked { id } => {
                write!(f, "the listing returned {id}, which was not asked for")
            }
            ListingError::TotalCountExceedsAsked { total_count, asked } => write!(
                f,
                "the listing counts {total_count} instances for {asked} IDs asked for"
            ),
            ListingError::FilterContradicted { id, filter } => write!(
                f,
                "the listing returned {id}, which does not match its filter `{}`",
                filter.to_string().escape_debug()
            ),
            ListingError::NotExpecting => {
                f.write_str("a page was handled when the listing had asked for none")
            }
        }
    }
}

impl std::error::Error for ListingError {}

/// What a page did to the listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingProgress {
    /// More pages to read: send [`InstanceListing::next_request`].
    Continue,
    /// Every instance has been read: [`InstanceListing::into_instances`].
    Complete,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    /// Waiting for the page at `offset`; a later page must start with `anchor`.
    Reading {
        offset: u64,
        anchor: Option<InstanceId>,
    },
    Complete,
    Failed(ListingError),
}

/// Every instance a DescribeInstances request matches, read page by page, with the
/// pages checked against each other.
///
/// ```text
///   InstanceListing::new(request)
///        │
///        ▼
///   ┌─► next_request() ── Some(DescribeInstances at Offset, Limit) ──► caller sends it
///   │                                                                    │
///   │    handle_page(answer) ◄───────────────────────────────────────────┘
///   │        │
///   └─ Continue          Complete ──► into_instances(): every instance, once
///                        Err(ListingError) ──► failed for good: next_request() is None
/// ```
///
/// DescribeInstances has no cursor and no snapshot: `Offset` counts into a list that
/// may change between two calls, so an instance created or deleted meanwhile shifts
/// every later entry by one, and a plain pager silently skips or repeats an instance.
/// So each page after the first starts one entry early, at the last entry of the page
/// before (the *anchor*): pages of `Limit` advance by `Limit − 1`, and a page whose first
/// entry is not the anchor shows the list moved ([`ListingError::PageShifted`]).
///
/// Every page is checked against the first and against the request; any doubt fails
/// the whole listing (a caller may start a new one):
///
/// | check | error |
/// | --- | --- |
/// | `TotalCount` the same on every page | [`ListingError::TotalCountChanged`] |
/// | `TotalCount` within the listing's bound (default 100,000) | [`ListingError::TooManyInstances`] |
/// | exactly `min(Limit, TotalCount − Offset)` entries: none short before `TotalCount` is reached, none beyond it | [`ListingError::WrongPageLength`] |
/// | a later page starts with the anchor | [`ListingError::PageShifted`] |
/// | no instance twice (in a page or across pages) | [`ListingError::DuplicateInstance`] |
/// | by IDs: only IDs asked for, `TotalCount` at most their number | [`ListingError::NotAsked`], [`ListingError::TotalCountExceedsAsked`] |
/// | by filters: no entry contradicts a filter ([`InstanceFilters::contradicted_by`](crate::InstanceFilters::contradicted_by)) | [`ListingError::FilterContradicted`] |
///
/// What no pager can see: an instance created and another deleted, both before the
/// anchor, between two pages. The created one is then missing (listing it was never
/// promised: it did not exist when the listing began) and the deleted one is listed
/// (a later read by ID finds it gone). The instances listed are a selection, not a
/// verdict: read them again by ID before acting on them.
///
/// Pure: the caller sends each [`next_request`](Self::next_request) and hands the
/// parsed answer to [`handle_page`](Self::handle_page), one page at a time, in order. A
/// page lost to the network is simply asked again (reads are safe to repeat).
///
/// ```
/// use tencentcloud_cvm_core::{DescribeInstances, DescribeInstancesResponse, InstanceFilters};
/// use tencentcloud_cvm_core::{InstanceListing, ListingProgress};
///
/// let ci = InstanceFilters::parse([("tag:team", ["ci"])])?;
/// let mut listing = InstanceListing::new(DescribeInstances::by_filters(ci)).with_page_size(3)?;
/// // Five instances: pages at offsets 0 (3 entries) and 2 (the anchor and 2 more).
/// let fleet: Vec<String> = (1..=5).map(|n| format!(
///     r#"{{"InstanceId":"ins-0000000{n}","Tags":[{{"Key":"team","Value":"ci"}}]}}"#)).collect();
/// let answer = |offset: usize, limit: usize| -> DescribeInstancesResponse {
///     let page: Vec<&str> = fleet.iter().skip(offset).take(limit).map(String::as_str).collect();
///     serde_json::from_str(&format!(
///         r#"{{"TotalCount":5,"InstanceSet":[{}],"RequestId":"r"}}"#, page.join(","))).unwrap()
/// };
/// while let Some(request) = listing.next_request() {
///     let page = request.page().unwrap();
///     let progress = listing.handle_page(answer(page.offset() as usize, page.limit() as usize))?;
///     if progress == ListingProgress::Complete {
///         break;
///     }
/// }
/// let ids: Vec<String> = listing.into_instances()?.iter().map(|i| i.instance_id.to_string()).collect();
/// assert_eq!(ids, ["ins-00000001", "ins-00000002", "ins-00000003", "ins-00000004", "ins-00000005"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct InstanceListing {
    request: DescribeInstances,
    page_size: u32,
    max_total: u64,
    total_count: Option<u64>,
    state: State,
    instances: Vec<Instance>,
    seen: HashSet<InstanceId>,
    request_ids: Vec<String>,
}

impl InstanceListing {
    /// The bound on `TotalCount` unless [`with_max_total`](Self::with_max_total) says
    /// otherwise: far above any account's quota of instances per region, low enough
    /// that a lying `TotalCount` cannot keep a run reading for hours.
    pub const DEFAULT_MAX_TOTAL: u64 = 100_000;

    /// The smallest page: each page after the first repeats one entry.
    pub const MIN_PAGE_SIZE: u32 = 2;

    /// Lists what `request` selects (every instance, these IDs, or these filters), in
    /// pages of 100. Any page `request` carries is replaced by the listing's own.
    pub fn new(request: DescribeInstances) -> InstanceListing {
        InstanceListing {
            request,
            page_size: Page::MAX_LIMIT,
            max_total: Self::DEFAULT_MAX_TOTAL,
            total_count: None,
            state: State::Reading {
                offset: 0,
                anchor: None,
            },
            instances: Vec::new(),
            seen: HashSet::new(),
            request_ids: Vec::new(),
        }
    }

    /// Reads pages of `limit` (2 to 100) instead of 100.
    pub fn with_page_size(mut self, limit: u32) -> Result<InstanceListing, ValidationError> {
        Page::new(0, u64::from(limit))?;
        if limit < Self::MIN_PAGE_SIZE {
            return Err(ValidationError::ListingPageTooSmall { limit });
        }
        self.page_size = limit;
        Ok(self)
    }

    /// Refuses a listing whose `TotalCount` exceeds `max`.
    pub fn with_max_total(mut self, max: u64) -> InstanceListing {
        self.max_total = max;
        self
    }

    /// The request to send next, or `None` once the listing is complete or failed.
    pub fn next_request(&self) -> Option<DescribeInstances> {
        self.next_page()
            .map(|page| self.request.clone().with_page(page))
    }

    /// The page [`next_request`](Self::next_request) asks for.
    pub fn next_page(&self) -> Option<Page> {
        match &self.state {
            State::Reading { offset, .. } => Page::new(*offset, u64::from(self.page_size)).ok(),
            State::Complete | State::Failed(_) => None,
        }
    }

    /// Takes the answer to [`next_request`](Self::next_request). An error fails the
    /// listing for good (and is kept: [`error`](Self::error)).
    pub fn handle_page(
        &mut self,
        answer: DescribeInstancesResponse,
    ) -> Result<ListingProgress, ListingError> {
        let State::Reading { offset, anchor } = &self.state else {
            return Err(ListingError::NotExpecting);
        };
        let (offset, anchor) = (*offset, anchor.clone());
        match self.check_and_take(offset, anchor, answer) {
            Ok(progress) => Ok(progress),
            Err(e) => {
                self.state = State::Failed(e.clone());
                Err(e)
            }
        }
    }

    fn check_and_take(
        &mut self,
        offset: u64,
        anchor: Option<InstanceId>,
        answer: DescribeInstancesResponse,
    ) -> Result<ListingProgress, ListingError> {
        let total = answer.total_count;
        match self.total_count {
            Some(first) if first != total => {
                return Err(ListingError::TotalCountChanged {
                    offset,
                    first,
                    now: total,
                })
            }
            Some(_) => {}
            None if total > self.max_total => {
                return Err(ListingError::TooManyInstances {
                    total_count: total,
                    max: self.max_total,
                })
            }
            None => {
                let asked = self.request.instance_ids().len();
                if asked > 0 && total > asked as u64 {
                    return Err(ListingError::TotalCountExceedsAsked {
                        total_count: total,
                        asked,
                    });
                }
                self.total_count = Some(total);
            }
        }
        let expected = u64::from(self.page_size).min(total.saturating_sub(offset));
        let got = answer.instance_set.len();
        if got as u64 != expected {
            return Err(ListingError::WrongPageLength {
                offset,
                expected,
                got,
            });
        }
        let mut entries = answer.instance_set.into_iter();
        let mut page = Vec::with_capacity(got);
        if let Some(anchor) = anchor {
            // `expected` is at least 1 here: the anchor lies before `total`.
            let Some(first) = entries.next() else {
                return Err(ListingError::WrongPageLength {
                    offset,
                    expected,
                    got,
                });
            };
            if first.instance_id != anchor {
                return Err(ListingError::PageShifted {
                    offset,
                    expected: anchor,
                    found: first.instance_id,
                });
            }
            self.check_entry(&first)?;
            // The newer read of the anchor replaces the older.
            if let Some(last) = self.instances.last_mut() {
                *last = first;
            }
        }
        let mut new_ids = HashSet::with_capacity(got);
        for entry in entries {
            if self.seen.contains(&entry.instance_id) || !new_ids.insert(entry.instance_id.clone())
            {
                return Err(ListingError::DuplicateInstance {
                    id: entry.instance_id,
                });
            }
            self.check_entry(&entry)?;
            page.push(entry);
        }
        self.seen.extend(new_ids);
        self.instances.extend(page);
        self.request_ids.push(answer.request_id);
        let end = offset + got as u64;
        if end >= total {
            self.state = State::Complete;
            return Ok(ListingProgress::Complete);
        }
        // Not done, so this page was full (`got == page_size >= 2`): the next starts
        // at its last entry.
        let anchor = self.instances.last().map(|i| i.instance_id.clone());
        self.state = State::Reading {
            offset: end - 1,
            anchor,
        };
        Ok(ListingProgress::Continue)
    }

    /// An entry must be one asked for, or agree with every filter.
    fn check_entry(&self, entry: &Instance) -> Result<(), ListingError> {
        let asked = self.request.instance_ids();
        if !asked.is_empty() && !asked.contains(&entry.instance_id) {
            return Err(ListingError::NotAsked {
                id: entry.instance_id.clone(),
            });
        }
        if let Some(filter) = self
            .request
            .filters()
            .and_then(|filters| filters.contradicted_by(entry))
        {
            return Err(ListingError::FilterContradicted {
                id: entry.instance_id.clone(),
                filter: filter.name().clone(),
            });
        }
        Ok(())
    }

    /// Whether every instance has been read.
    pub fn is_complete(&self) -> bool {
        self.state == State::Complete
    }

    /// Why the listing failed, if it did.
    pub fn error(&self) -> Option<&ListingError> {
        match &self.state {
            State::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// The `TotalCount` of the first page, once read.
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }

    /// The instances read so far, in the service's order.
    pub fn instances(&self) -> &[Instance] {
        &self.instances
    }

    /// The RequestIds of the pages read, in order (for logs).
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// The request being listed (without a page).
    pub fn request(&self) -> &DescribeInstances {
        &self.request
    }

    /// Every instance, once each, in the service's order; only from a complete
    /// listing (a failed one gives its error; an unfinished one
    /// [`ListingError::NotExpecting`]).
    pub fn into_instances(self) -> Result<Vec<Instance>, ListingError> {
        match self.state {
            State::Complete => Ok(self.instances),
            State::Failed(e) => Err(e),
            State::Reading { .. } => Err(ListingError::NotExpecting),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::instance_filters::InstanceFilters;
    use quickcheck::quickcheck;

    fn id(n: usize) -> String {
        format!("ins-{n:08}")
    }

    fn entry(n: usize) -> String {
        format!(
            r#"{{"InstanceId":"{}","Tags":[{{"Key":"team","Value":"ci"}}]}}"#,
            id(n)
        )
    }

    fn answer(total: u64, entries: &[String]) -> DescribeInstancesResponse {
        serde_json::from_str(&format!(
            r#"{{"TotalCount":{total},"InstanceSet":[{}],"RequestId":"r-{}"}}"#,
            entries.join(","),
            entries.len()
        ))
        .unwrap()
    }

    /// A service listing `fleet` honestly: the page asked for.
    fn page_of(fleet: &[usize], listing: &InstanceListing) -> DescribeInstancesResponse {
        let page = listing.next_page().unwrap();
        let entries: Vec<String> = fleet
            .iter()
            .skip(page.offset() as usize)
            .take(page.limit() as usize)
            .map(|&n| entry(n))
            .collect();
        answer(fleet.len() as u64, &entries)
    }

    fn ci() -> DescribeInstances {
        DescribeInstances::by_filters(InstanceFilters::parse([("tag:team", ["ci"])]).unwrap())
    }

    fn run(fleet: &[usize], page_size: u32) -> (Result<Vec<Instance>, ListingError>, Vec<u64>) {
        let mut listing = InstanceListing::new(ci())
            .with_page_size(page_size)
            .unwrap();
        let mut offsets = Vec::new();
        while let Some(request) = listing.next_request() {
            offsets.push(request.page().unwrap().offset());
            assert_eq!(request.filters(), ci().filters());
            if listing.handle_page(page_of(fleet, &listing)).is_err() {
                break;
            }
        }
        (listing.into_instances(), offsets)
    }

    #[test]
    fn honest_listings() {
        for (count, size, offsets) in [
            (0, 100, vec![0]),
            (1, 100, vec![0]),
            (100, 100, vec![0]),
            (101, 100, vec![0, 99]),
            (250, 100, vec![0, 99, 198]),
            (5, 2, vec![0, 1, 2, 3]),
            (4, 2, vec![0, 1, 2]),
        ] {
            let fleet: Vec<usize> = (0..count).collect();
            let (listed, asked) = run(&fleet, size);
            let ids: Vec<usize> = listed
                .unwrap()
                .iter()
                .map(|i| i.instance_id.as_str()[4..].parse().unwrap())
                .collect();
            assert_eq!(ids, fleet, "{count} by {size}");
            assert_eq!(asked, offsets, "{count} by {size}");
        }
    }

    #[test]
    fn page_sizes() {
        let l = InstanceListing::new(DescribeInstances::all());
        assert_eq!(l.next_page(), Some(Page::first()));
        assert!(matches!(
            InstanceListing::new(DescribeInstances::all()).with_page_size(1),
            Err(ValidationError::ListingPageTooSmall { limit: 1 })
        ));
        assert_eq!(
            InstanceListing::new(DescribeInstances::all())
                .with_page_size(0)
                .unwrap_err(),
            ValidationError::ZeroLimit
        );
        assert!(InstanceListing::new(DescribeInstances::all())
            .with_page_size(101)
            .is_err());
        // A request's own page is replaced.
        let r = DescribeInstances::all().with_page(Page::new(40, 7).unwrap());
        assert_eq!(InstanceListing::new(r).next_page(), Some(Page::first()));
    }

    /// Feeds `pages` (total, entries) to a listing of pages of 3 and returns the
    /// outcome of the last.
    fn feed(
        request: DescribeInstances,
        pages: &[(u64, &[usize])],
    ) -> Result<ListingProgress, ListingError> {
        let mut listing = InstanceListing::new(request).with_page_size(3).unwrap();
        let mut last = Err(ListingError::NotExpecting);
        for (total, entries) in pages {
            let entries: Vec<String> = entries.iter().map(|&n| entry(n)).collect();
            last = listing.handle_page(answer(*total, &entries));
            if last.is_err() {
                // Failed for good.
                assert_eq!(listing.next_request(), None);
                assert_eq!(listing.error(), last.as_ref().err());
                assert_eq!(
                    listing.handle_page(answer(*total, &entries)),
                    Err(ListingError::NotExpecting)
                );
                break;
            }
        }
        last
    }

    #[test]
    fn inconsistent_pages_fail_the_listing() {
        use ListingError as E;
        let id = |n| InstanceId::parse(&id(n)).unwrap();
        // TotalCount changes between pages.
        assert_eq!(
            feed(ci(), &[(5, &[1, 2, 3]), (6, &[3, 4, 5])]),
            Err(E::TotalCountChanged {
                offset: 2,
                first: 5,
                now: 6
            })
        );
        // A short page before TotalCount is reached, and an empty one.
        assert_eq!(
            feed(ci(), &[(5, &[1, 2])]),
            Err(E::WrongPageLength {
                offset: 0,
                expected: 3,
                got: 2
            })
        );
        assert_eq!(
            feed(ci(), &[(5, &[1, 2, 3]), (5, &[3, 4])]),
            Err(E::WrongPageLength {
                offset: 2,
                expected: 3,
                got: 2
            })
        );
        assert_eq!(
            feed(ci(), &[(1, &[])]),
            Err(E::WrongPageLength {
                offset: 0,
                expected: 1,
                got: 0
            })
        );
        // More entries than TotalCount, or than Limit.
        assert_eq!(
            feed(ci(), &[(0, &[1])]),
            Err(E::WrongPageLength {
                offset: 0,
                expected: 0,
                got: 1
            })
        );
        assert_eq!(
            feed(ci(), &[(2, &[1, 2, 3])]),
            Err(E::WrongPageLength {
                offset: 0,
                expected: 2,
                got: 3
            })
        );
        assert_eq!(
            feed(ci(), &[(9, &[1, 2, 3, 4])]),
            Err(E::WrongPageLength {
                offset: 0,
                expected: 3,
                got: 4
            })
        );
        // The list shifted: an instance was deleted (skip) or created (repeat) before the anchor.
        assert_eq!(
            feed(ci(), &[(5, &[1, 2, 3]), (5, &[4, 5, 6])]),
            Err(E::PageShifted {
                offset: 2,
                expected: id(3),
                found: id(4)
            })
        );
        assert_eq!(
            feed(ci(), &[(5, &[1, 2, 3]), (5, &[2, 3, 4])]),
            Err(E::PageShifted {
                offset: 2,
                expected: id(3),
                found: id(2)
            })
        );
        // An instance twice, within a page or across pages.
        assert_eq!(
            feed(ci(), &[(3, &[1, 2, 1])]),
            Err(E::DuplicateInstance { id: id(1) })
        );
        assert_eq!(
            feed(ci(), &[(5, &[1, 2, 3]), (5, &[3, 1, 4])]),
            Err(E::DuplicateInstance { id: id(1) })
        );
        assert_eq!(
            feed(ci(), &[(5, &[1, 2, 3]), (5, &[3, 3, 4])]),
            Err(E::DuplicateInstance { id: id(3) })
        );
        // Entries that do not fit the request.
        let by_ids = DescribeInstances::by_ids([id(1).as_str(), id(2).as_str()]).unwrap();
        assert_eq!(
            feed(by_ids.clone(), &[(2, &[1, 3])]),
            Err(E::NotAsked { id: id(3) })
        );
        assert_eq!(
            feed(by_ids.clone(), &[(3, &[1, 2, 3])]),
            Err(E::TotalCountExceedsAsked {
                total_count: 3,
                asked: 2
            })
        );
        assert_eq!(feed(by_ids, &[(1, &[2])]), Ok(ListingProgress::Complete));
        let web =
            DescribeInstances::by_filters(InstanceFilters::parse([("tag:team", ["web"])]).unwrap());
        assert_eq!(
            feed(web, &[(1, &[1])]),
            Err(E::FilterContradicted {
                id: id(1),
                filter: InstanceFilterName::Tag("team".into())
            })
        );
        // A TotalCount beyond the bound.
        let mut big = InstanceListing::new(ci()).with_max_total(4);
        let e = big.handle_page(answer(5, &[])).unwrap_err();
        assert_eq!(
            e,
            E::TooManyInstances {
                total_count: 5,
                max: 4
            }
        );
        assert!(big.into_instances().is_err());
        for e in [
            E::TotalCountChanged {
                offset: 2,
                first: 5,
                now: 6,
            },
            E::NotExpecting,
            E::FilterContradicted {
                id: id(1),
                filter: InstanceFilterName::Tag("\u{1b}x".into()),
            },
        ] {
            assert!(!e.to_string().contains('\u{1b}'), "{e}");
        }
    }

    #[test]
    fn state_is_observable() {
        let fleet: Vec<usize> = (0..5).collect();
        let mut listing = InstanceListing::new(ci()).with_page_size(3).unwrap();
        assert_eq!(listing.total_count(), None);
        assert!(matches!(
            listing.clone().into_instances(),
            Err(ListingError::NotExpecting)
        ));
        assert_eq!(
            listing.handle_page(page_of(&fleet, &listing)),
            Ok(ListingProgress::Continue)
        );
        assert_eq!(
            (listing.total_count(), listing.instances().len()),
            (Some(5), 3)
        );
        assert!(!listing.is_complete());
        assert_eq!(
            listing.handle_page(page_of(&fleet, &listing)),
            Ok(ListingProgress::Complete)
        );
        assert!(listing.is_complete() && listing.error().is_none());
        assert_eq!(listing.request_ids(), ["r-3", "r-3"]);
        assert_eq!(listing.next_request(), None);
        assert_eq!(listing.request().filters(), ci().filters());
        assert_eq!(
            listing.handle_page(answer(5, &[])),
            Err(ListingError::NotExpecting)
        );
        // The complete listing is untouched by the late page.
        assert_eq!(listing.into_instances().unwrap().len(), 5);
    }

    #[test]
    fn the_anchor_is_kept_at_its_newest() {
        let mut listing = InstanceListing::new(DescribeInstances::all())
            .with_page_size(2)
            .unwrap();
        let page = |state: &str, n: usize| {
            format!(r#"{{"InstanceId":"{}","InstanceState":"{state}"}}"#, id(n))
        };
        listing
            .handle_page(answer(3, &[page("RUNNING", 1), page("RUNNING", 2)]))
            .unwrap();
        listing
            .handle_page(answer(3, &[page("STOPPING", 2), page("RUNNING", 3)]))
            .unwrap();
        let all = listing.into_instances().unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].instance_state.as_ref().unwrap().as_str(), "STOPPING");
    }

    quickcheck! {
        /// Whatever pages a service sends: no panic; a complete listing holds exactly
        /// TotalCount distinct instances, each matching; and an honest service always
        /// completes.
        fn arbitrary_pages_never_panic(pages: Vec<(u8, Vec<u8>)>, size: u8) -> bool {
            let size = u32::from(size % 6) + 2;
            let mut listing = InstanceListing::new(ci()).with_page_size(size).unwrap();
            for (total, entries) in pages {
                let entries: Vec<String> = entries.iter().map(|&n| entry(usize::from(n % 16))).collect();
                let _ = listing.handle_page(answer(u64::from(total % 20), &entries));
            }
            if listing.is_complete() {
                let total = listing.total_count().unwrap();
                let all = listing.into_instances().unwrap();
                let distinct: HashSet<_> = all.iter().map(|i| &i.instance_id).collect();
                all.len() as u64 == total && distinct.len() == all.len()
            } else {
                true
            }
        }

        fn honest_services_always_complete(count: u8, size: u8) -> bool {
            let size = u32::from(size % 99) + 2;
            let fleet: Vec<usize> = (0..usize::from(count)).collect();
            let (listed, offsets) = run(&fleet, size);
            listed.is_ok_and(|l| l.len() == fleet.len())
                && offsets.len() == 1 + fleet.len().saturating_sub(2) / (size as usize - 1)
        }
    }
}
