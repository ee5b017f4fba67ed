//! The parameters DescribeInstances and DescribeInstancesStatus share: which
//! instances (`InstanceIds`, or DescribeInstances' `Filters`) and which page of them
//! (`Offset`, `Limit`).

use crate::model::instance_filters::InstanceFilters;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::page::Page;

/// Which instances: every one, these IDs, or those the filters match. One or the
/// other, never both: the API refuses `InstanceIds` with `Filters`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) enum Selector {
    #[default]
    All,
    Ids(InstanceIdList),
    Filters(InstanceFilters),
}

/// Which instances and a page (none: the service's first 20).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct InstanceQuery {
    selector: Selector,
    page: Option<Page>,
}

impl InstanceQuery {
    /// These instances, all on one page: the service's default `Limit` is 20, so a
    /// query by more IDs than that without a `Limit` would silently miss some.
    pub(crate) fn by_ids(ids: InstanceIdList) -> Self {
        let page = Page::new(0, ids.len() as u64).ok();
        InstanceQuery {
            selector: Selector::Ids(ids),
            page,
        }
    }

    /// The instances the filters match (the service's first page unless a page is set).
    pub(crate) fn by_filters(filters: InstanceFilters) -> Self {
        InstanceQuery {
            selector: Selector::Filters(filters),
            page: None,
        }
    }

    pub(crate) fn selector(&self) -> &Selector {
        &self.selector
    }

    pub(crate) fn with_page(mut self, page: Page) -> Self {
        self.page = Some(page);
        self
    }

    pub(crate) fn instance_ids(&self) -> &[InstanceId] {
        match &self.selector {
            Selector::Ids(ids) => ids.as_slice(),
            _ => &[],
        }
    }

    pub(crate) fn filters(&self) -> Option<&InstanceFilters> {
        match &self.selector {
            Selector::Filters(filters) => Some(filters),
            _ => None,
        }
    }

    pub(crate) fn page(&self) -> Option<Page> {
        self.page
    }

    /// `{"InstanceIds":[…],"Offset":N,"Limit":M}` or `{"Filters":[…],"Offset":N,"Limit":M}`,
    /// leaving out what is not set, in the official SDK's field order.
    pub(crate) fn to_body(&self) -> Vec<u8> {
        let selector_len = match &self.selector {
            Selector::All => 0,
            Selector::Ids(ids) => 16 + 15 * ids.len(),
            Selector::Filters(filters) => 12 + 64 * filters.len(),
        };
        let mut out = Vec::with_capacity(2 + selector_len + 40);
        out.push(b'{');
        match &self.selector {
            Selector::All => {}
            Selector::Ids(ids) => ids.write_json_field(&mut out),
            Selector::Filters(filters) => filters.write_json_field(&mut out),
        }
        if let Some(page) = &self.page {
            page.write_json_fields(&mut out, matches!(self.selector, Selector::All));
        }
        out.push(b'}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert_eq!(InstanceQuery::default().to_body(), b"{}");
        let ids = InstanceIdList::parse(["ins-00000001", "ins-00000002"]).unwrap();
        assert_eq!(
            InstanceQuery::by_ids(ids.clone()).to_body(),
            br#"{"InstanceIds":["ins-00000001","ins-00000002"],"Offset":0,"Limit":2}"#
        );
        let page = Page::new(100, 50).unwrap();
        assert_eq!(
            InstanceQuery::default().with_page(page).to_body(),
            br#"{"Offset":100,"Limit":50}"#
        );
        let both = InstanceQuery::by_ids(ids).with_page(page);
        let parsed: serde_json::Value = serde_json::from_slice(&both.to_body()).unwrap();
        assert_eq!(parsed["Limit"], 50);
        assert_eq!(parsed["InstanceIds"][1], "ins-00000002");
        let filters = InstanceFilters::parse([("tag:team", ["ci"])]).unwrap();
        assert_eq!(
            InstanceQuery::by_filters(filters.clone()).to_body(),
            br#"{"Filters":[{"Name":"tag:team","Values":["ci"]}]}"#
        );
        assert_eq!(
            InstanceQuery::by_filters(filters).with_page(page).to_body(),
            br#"{"Filters":[{"Name":"tag:team","Values":["ci"]}],"Offset":100,"Limit":50}"#
        );
    }
}
