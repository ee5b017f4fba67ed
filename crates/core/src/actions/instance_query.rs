//! The parameters DescribeInstances and DescribeInstancesStatus share: which
//! instances (`InstanceIds`) and which page of them (`Offset`, `Limit`).

use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::page::Page;

/// Instance IDs (none: every instance) and a page (none: the service's first 20).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct InstanceQuery {
    ids: Option<InstanceIdList>,
    page: Option<Page>,
}

impl InstanceQuery {
    /// These instances, all on one page: the service's default `Limit` is 20, so a
    /// query by more IDs than that without a `Limit` would silently miss some.
    pub(crate) fn by_ids(ids: InstanceIdList) -> Self {
        let page = Page::new(0, ids.len() as u64).ok();
        InstanceQuery {
            ids: Some(ids),
            page,
        }
    }

    pub(crate) fn with_page(mut self, page: Page) -> Self {
        self.page = Some(page);
        self
    }

    pub(crate) fn instance_ids(&self) -> &[InstanceId] {
        self.ids.as_ref().map_or(&[], InstanceIdList::as_slice)
    }

    pub(crate) fn page(&self) -> Option<Page> {
        self.page
    }

    /// `{"InstanceIds":[…],"Offset":N,"Limit":M}`, leaving out what is not set.
    pub(crate) fn to_body(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(2 + self.ids.as_ref().map_or(0, |ids| 16 + 15 * ids.len()) + 40);
        out.push(b'{');
        if let Some(ids) = &self.ids {
            ids.write_json_field(&mut out);
        }
        if let Some(page) = &self.page {
            page.write_json_fields(&mut out, self.ids.is_none());
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
    }
}
