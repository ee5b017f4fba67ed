//! Target `instance_listing`: the DescribeInstances pager fed arbitrary page sequences.

use std::collections::HashSet;

use tencentcloud_cvm_core::{
    DescribeInstances, DescribeInstancesResponse, FilterMatch, Instance, InstanceFilters,
    InstanceListing, ListingError, ListingProgress,
};

/// The instance IDs pages are made of: `ins-00000000` … `ins-0000000f`.
fn id(n: u8) -> String {
    format!("ins-{:08x}", n & 0x0f)
}

/// One entry: its ID (low 4 bits) and its `Tags` (bits 4-5: `team=ci`, `team=web`,
/// none, or no `Tags` field).
fn entry(b: u8) -> String {
    let tags = match (b >> 4) & 3 {
        0 => r#","Tags":[{"Key":"team","Value":"ci"}]"#,
        1 => r#","Tags":[{"Key":"team","Value":"web"}]"#,
        2 => r#","Tags":[]"#,
        _ => "",
    };
    format!(r#"{{"InstanceId":"{}"{tags}}}"#, id(b))
}

fn page(total: u64, entries: &[u8]) -> DescribeInstancesResponse {
    let set: Vec<String> = entries.iter().map(|&b| entry(b)).collect();
    serde_json::from_str(&format!(
        r#"{{"TotalCount":{total},"InstanceSet":[{}],"RequestId":"r"}}"#,
        set.join(",")
    ))
    .expect("a well-formed page")
}

/// The request of a listing: byte 1 mod 3.
fn request(kind: u8) -> DescribeInstances {
    match kind % 3 {
        0 => DescribeInstances::all(),
        1 => DescribeInstances::by_ids((0..4).map(id)).expect("valid IDs"),
        _ => DescribeInstances::by_filters(
            InstanceFilters::parse([("tag:team", ["ci"])]).expect("a valid filter"),
        ),
    }
}

/// The body of target `instance_listing`.
///
/// ```text
/// byte 0     page size: 2 + (byte mod 9)
/// byte 1     request (mod 3): 0 every instance, 1 by IDs ins-00000000…03,
///            2 by the filter tag:team=ci
/// then pages, until the input ends:
///   byte     TotalCount (mod 24)
///   byte     number of entries n (mod 12)
///   n bytes  entries: bits 0-3 the ID (ins-0000000X), bits 4-5 the tags
///            (team=ci, team=web, none, no Tags field)
/// ```
///
/// Invariants: no panic; the first page asked is at offset 0, and after `Continue`
/// the next starts at the last entry read (the anchor); every request carries the
/// listing's IDs or filters; after an error the listing asks for nothing more, keeps
/// the error and refuses any further page; a complete listing holds exactly
/// `TotalCount` distinct instances, only IDs asked for, none contradicting the filter,
/// and the same pages served honestly from its result list it again.
pub fn instance_listing(data: &[u8]) {
    let _ = listing_outcome(data);
}

/// Runs target `instance_listing` on `data` and says how the listing ended:
/// `complete N` (N instances), the first error's variant name (`PageShifted`, …),
/// `unfinished`, or `no input`.
pub fn listing_outcome(data: &[u8]) -> String {
    let (Some(&size), Some(&kind)) = (data.first(), data.get(1)) else {
        return "no input".to_owned();
    };
    let size = 2 + u32::from(size % 9);
    let original = request(kind);
    let mut listing = InstanceListing::new(original.clone())
        .with_page_size(size)
        .expect("2 to 10");
    let mut rest = &data[2..];
    let mut expected_offset = 0;
    while let [total, count, tail @ ..] = rest {
        let n = usize::from(count % 12).min(tail.len());
        let (entries, tail) = tail.split_at(n);
        rest = tail;
        let before = listing.next_request();
        let result = listing.handle_page(page(u64::from(total % 24), entries));
        let Some(asked) = before else {
            assert_eq!(result, Err(ListingError::NotExpecting));
            continue;
        };
        let asked_page = asked.page().expect("a listing asks for a page");
        assert_eq!(asked_page.offset(), expected_offset);
        assert_eq!(asked_page.limit(), size);
        assert_eq!(asked.instance_ids(), original.instance_ids());
        assert_eq!(asked.filters(), original.filters());
        match result {
            Ok(ListingProgress::Continue) => {
                // A full page: the next starts at its last entry.
                assert_eq!(entries.len() as u32, size);
                expected_offset += u64::from(size) - 1;
                assert!(listing.next_request().is_some());
            }
            Ok(ListingProgress::Complete) => {
                assert!(listing.is_complete() && listing.next_request().is_none());
            }
            Err(e) => {
                assert_ne!(e, ListingError::NotExpecting);
                assert_eq!(listing.error(), Some(&e));
                assert!(listing.next_request().is_none());
                drop(format!("{e} {e:?}"));
            }
        }
    }
    if let Some(e) = listing.error() {
        let debug = format!("{e:?}");
        return debug
            .split([' ', '{'])
            .next()
            .unwrap_or_default()
            .to_owned();
    }
    if listing.is_complete() {
        return format!("complete {}", check_complete(listing, &original, size));
    }
    "unfinished".to_owned()
}

/// Checks a complete listing; returns how many instances it holds.
fn check_complete(listing: InstanceListing, original: &DescribeInstances, size: u32) -> usize {
    let total = listing.total_count().expect("read");
    let instances = listing.into_instances().expect("complete");
    assert_eq!(instances.len() as u64, total);
    let ids: HashSet<&str> = instances.iter().map(|i| i.instance_id.as_str()).collect();
    assert_eq!(ids.len(), instances.len());
    let asked: Vec<&str> = original.instance_ids().iter().map(|i| i.as_str()).collect();
    for i in &instances {
        assert!(asked.is_empty() || asked.contains(&i.instance_id.as_str()));
        if let Some(filters) = original.filters() {
            assert_ne!(filters.matches(i), FilterMatch::No);
        }
    }
    // Served honestly from what it listed, a new listing reads the same instances.
    let mut again = InstanceListing::new(original.clone())
        .with_page_size(size)
        .expect("2 to 10");
    while let Some(request) = again.next_request() {
        let page = request.page().expect("a page");
        let set: Vec<&Instance> = instances
            .iter()
            .skip(page.offset() as usize)
            .take(page.limit() as usize)
            .collect();
        let answer = DescribeInstancesResponse {
            total_count: total,
            instance_set: set.into_iter().cloned().collect(),
            request_id: "r".to_owned(),
        };
        again.handle_page(answer).expect("an honest page");
    }
    assert_eq!(again.into_instances().expect("complete"), instances);
    instances.len()
}
