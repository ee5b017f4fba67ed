//! DescribeInstancesStatus: the request (by IDs and/or paged) and its typed answer.

use serde::Deserialize;

use crate::actions::api_request::ApiRequest;
use crate::actions::instance_query::InstanceQuery;
use crate::actions::Action;
use crate::error::validation_error::ValidationError;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::instance_state::InstanceState;
use crate::model::page::Page;

/// A validated DescribeInstancesStatus request: the same parameters as
/// [`DescribeInstances`](crate::DescribeInstances), a lighter answer (IDs and states).
///
/// ```
/// use tencentcloud_cvm_core::DescribeInstancesStatus;
/// let r = DescribeInstancesStatus::by_ids(["ins-r8hr2upy"])?;
/// assert_eq!(r.to_body(), br#"{"InstanceIds":["ins-r8hr2upy"],"Offset":0,"Limit":1}"#);
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DescribeInstancesStatus {
    query: InstanceQuery,
}

impl DescribeInstancesStatus {
    /// Every instance of the region, the service's first page (20) unless
    /// [`with_page`](Self::with_page) says otherwise.
    pub fn all() -> Self {
        Self::default()
    }

    /// These instances (1 to 100 distinct, well-formed IDs), all on one page.
    pub fn by_ids<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        InstanceIdList::parse(ids).map(Self::for_list)
    }

    /// These instances, already checked, all on one page.
    pub fn for_list(ids: InstanceIdList) -> Self {
        DescribeInstancesStatus {
            query: InstanceQuery::by_ids(ids),
        }
    }

    /// With this `Offset` and `Limit`.
    pub fn with_page(self, page: Page) -> Self {
        DescribeInstancesStatus {
            query: self.query.with_page(page),
        }
    }

    /// The instance IDs asked for (empty: every instance).
    pub fn instance_ids(&self) -> &[InstanceId] {
        self.query.instance_ids()
    }

    /// The page asked for, if any.
    pub fn page(&self) -> Option<Page> {
        self.query.page()
    }

    /// The compact JSON body.
    pub fn to_body(&self) -> Vec<u8> {
        self.query.to_body()
    }
}

/// One entry of `InstanceStatusSet`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceStatus {
    /// `InstanceId` (required and well-formed, as in [`Instance`](crate::Instance)).
    pub instance_id: InstanceId,
    /// `InstanceState` (`None` if absent or `null`).
    pub instance_state: Option<InstanceState>,
}

/// DescribeInstancesStatus' answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeInstancesStatusResponse {
    /// `TotalCount`: how many instances match (all pages together).
    pub total_count: u64,
    /// `InstanceStatusSet`: this page of them (required).
    pub instance_status_set: Vec<InstanceStatus>,
    /// `RequestId`.
    pub request_id: String,
}

impl ApiRequest for DescribeInstancesStatus {
    const ACTION: Action = Action::DescribeInstancesStatus;
    type Response = DescribeInstancesStatusResponse;
    fn to_body(&self) -> Vec<u8> {
        DescribeInstancesStatus::to_body(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::response::{parse_response_as, ResponseError, DEFAULT_MAX_BODY};

    fn parse(body: &str) -> Result<DescribeInstancesStatusResponse, ResponseError> {
        parse_response_as(
            &http::Response::new(body.as_bytes().to_vec()),
            DEFAULT_MAX_BODY,
        )
    }

    #[test]
    fn answers() {
        let ok = parse(
            r#"{"Response":{"TotalCount":3,"InstanceStatusSet":[
                {"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING"},
                {"InstanceId":"ins-5d8a23rs","InstanceState":null}],"RequestId":"r"}}"#,
        )
        .unwrap();
        assert_eq!(ok.total_count, 3);
        assert_eq!(
            ok.instance_status_set[0].instance_state,
            Some(InstanceState::Running)
        );
        assert_eq!(ok.instance_status_set[1].instance_state, None);
        for bad in [
            r#"{"Response":{"TotalCount":1,"InstanceStatusSet":[{"InstanceState":"RUNNING"}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"RequestId":"r"}}"#,
            r#"{"Response":{"InstanceStatusSet":[],"RequestId":"r"}}"#,
        ] {
            assert!(
                matches!(parse(bad), Err(ResponseError::WrongType { .. })),
                "{bad}"
            );
        }
        let paged = DescribeInstancesStatus::all().with_page(Page::new(20, 20).unwrap());
        assert_eq!(paged.to_body(), br#"{"Offset":20,"Limit":20}"#);
        assert!(paged.instance_ids().is_empty());
    }
}
