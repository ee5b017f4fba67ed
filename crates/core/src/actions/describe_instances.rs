//! DescribeInstances: the request (by IDs or by filters, and paged) and its typed answer.

use serde::Deserialize;

use crate::actions::api_request::ApiRequest;
use crate::actions::instance_query::{InstanceQuery, Selector};
use crate::actions::Action;
use crate::error::validation_error::ValidationError;
use crate::model::instance::Instance;
use crate::model::instance_filters::InstanceFilters;
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;
use crate::model::page::Page;

/// A validated DescribeInstances request.
///
/// By IDs, every named instance that exists comes back on one page (the request's
/// `Limit` is the number of IDs, since the service's default of 20 would cut a longer
/// list short); IDs that do not exist are simply missing from the answer. By
/// [`InstanceFilters`], or without either, it lists the instances that match (every
/// one), a page at a time: [`InstanceListing`](crate::InstanceListing) pages through
/// them all and checks that the pages agree. `InstanceIds` and `Filters` cannot be
/// combined ([`ValidationError::InstanceIdsWithFilters`]); the `instance-id` filter
/// selects by ID among filters.
///
/// ```
/// use tencentcloud_cvm_core::{Credentials, DescribeInstances, InstanceFilters, Page, ServiceConfig, signing::Signer};
/// use tencentcloud_cvm_core::{ApiRequest, ValidationError};
/// let by_id = DescribeInstances::by_ids(["ins-r8hr2upy", "ins-5d8a23rs"])?;
/// assert_eq!(
///     by_id.to_body(),
///     br#"{"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"Offset":0,"Limit":2}"#
/// );
/// let paged = DescribeInstances::all().with_page(Page::new(200, 100)?);
/// assert_eq!(paged.to_body(), br#"{"Offset":200,"Limit":100}"#);
///
/// let ci = InstanceFilters::parse([("tag:team", ["ci"]), ("zone", ["ap-guangzhou-3"])])?;
/// let filtered = DescribeInstances::by_filters(ci.clone()).with_page(Page::first());
/// assert_eq!(
///     filtered.to_body(),
///     br#"{"Filters":[{"Name":"tag:team","Values":["ci"]},{"Name":"zone","Values":["ap-guangzhou-3"]}],"Offset":0,"Limit":100}"#
/// );
/// assert_eq!(by_id.clone().with_filters(ci), Err(ValidationError::InstanceIdsWithFilters));
///
/// let config = ServiceConfig::builder("ap-guangzhou").build()?;
/// let http = config.sign(&by_id, 1551113065, &Credentials::new("AKID", "key"), &Signer::new())?;
/// assert_eq!(http.headers()["x-tc-action"], "DescribeInstances");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DescribeInstances {
    query: InstanceQuery,
}

impl DescribeInstances {
    /// Every instance of the region, the service's first page (20) unless
    /// [`with_page`](Self::with_page) says otherwise.
    pub fn all() -> Self {
        Self::default()
    }

    /// These instances (1 to 100 distinct, well-formed IDs; see [`InstanceIdList`]).
    pub fn by_ids<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        InstanceIdList::parse(ids).map(Self::for_list)
    }

    /// These instances, already checked.
    pub fn for_list(ids: InstanceIdList) -> Self {
        DescribeInstances {
            query: InstanceQuery::by_ids(ids),
        }
    }

    /// The instances `filters` match, the service's first page (20) unless
    /// [`with_page`](Self::with_page) says otherwise.
    pub fn by_filters(filters: InstanceFilters) -> Self {
        DescribeInstances {
            query: InstanceQuery::by_filters(filters),
        }
    }

    /// This request with `filters` (replacing any it had), keeping its page. Refused
    /// for a request by IDs: the API takes `InstanceIds` or `Filters`, not both.
    pub fn with_filters(self, filters: InstanceFilters) -> Result<Self, ValidationError> {
        if !self.query.instance_ids().is_empty() {
            return Err(ValidationError::InstanceIdsWithFilters);
        }
        let query = InstanceQuery::by_filters(filters);
        Ok(DescribeInstances {
            query: match self.query.page() {
                Some(page) => query.with_page(page),
                None => query,
            },
        })
    }

    /// With this `Offset` and `Limit`.
    pub fn with_page(self, page: Page) -> Self {
        DescribeInstances {
            query: self.query.with_page(page),
        }
    }

    /// The instance IDs asked for (empty: every instance, or those the filters match).
    pub fn instance_ids(&self) -> &[InstanceId] {
        self.query.instance_ids()
    }

    /// The filters, if the request lists by filters.
    pub fn filters(&self) -> Option<&InstanceFilters> {
        self.query.filters()
    }

    /// Whether this lists every instance of the region (neither IDs nor filters).
    pub fn is_all(&self) -> bool {
        matches!(self.query.selector(), Selector::All)
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

/// DescribeInstances' answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeInstancesResponse {
    /// `TotalCount`: how many instances match (all pages together).
    pub total_count: u64,
    /// `InstanceSet`: this page of them. Required (an answer without it, or with
    /// `null`, is refused: it would read as "no such instance").
    pub instance_set: Vec<Instance>,
    /// `RequestId`.
    pub request_id: String,
}

impl DescribeInstancesResponse {
    /// The entry for `id`, if the answer has one.
    pub fn find(&self, id: &InstanceId) -> Option<&Instance> {
        self.instance_set.iter().find(|i| &i.instance_id == id)
    }
}

impl ApiRequest for DescribeInstances {
    const ACTION: Action = Action::DescribeInstances;
    type Response = DescribeInstancesResponse;
    fn to_body(&self) -> Vec<u8> {
        DescribeInstances::to_body(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::response::{parse_response_as, ResponseError, DEFAULT_MAX_BODY};
    use crate::{ChargeType, InstanceState};

    fn parse(body: &str) -> Result<DescribeInstancesResponse, ResponseError> {
        parse_response_as(
            &http::Response::new(body.as_bytes().to_vec()),
            DEFAULT_MAX_BODY,
        )
    }

    #[test]
    fn validation_is_the_shared_id_rule() {
        assert_eq!(
            DescribeInstances::by_ids(Vec::<String>::new()),
            Err(ValidationError::NoInstanceIds)
        );
        assert!(matches!(
            DescribeInstances::by_ids(["ins-1"]),
            Err(ValidationError::Malformed(_))
        ));
        let r = DescribeInstances::by_ids(["ins-00000001"]).unwrap();
        assert_eq!(r.page(), Some(Page::new(0, 1).unwrap()));
        assert_eq!(DescribeInstances::all().to_body(), b"{}");
        assert!(DescribeInstances::all().is_all() && !r.is_all());
    }

    #[test]
    fn ids_or_filters_never_both() {
        let filters = InstanceFilters::parse([("instance-id", ["ins-00000001"])]).unwrap();
        let by_ids = DescribeInstances::by_ids(["ins-00000001"]).unwrap();
        let e = by_ids.with_filters(filters.clone()).unwrap_err();
        assert_eq!(e, ValidationError::InstanceIdsWithFilters);
        assert_eq!(e.code(), crate::ErrorCode::InvalidParameter);
        assert!(e.to_string().contains("instance-id"), "{e}");
        // On a listing, filters keep its page; on filters, they replace the old ones.
        let page = Page::new(100, 50).unwrap();
        let r = DescribeInstances::all()
            .with_page(page)
            .with_filters(filters.clone())
            .unwrap();
        assert_eq!((r.page(), r.filters()), (Some(page), Some(&filters)));
        assert!(r.instance_ids().is_empty() && !r.is_all());
        let other = InstanceFilters::parse([("zone", ["ap-guangzhou-3"])]).unwrap();
        let r = r.with_filters(other.clone()).unwrap();
        assert_eq!((r.page(), r.filters()), (Some(page), Some(&other)));
        assert_eq!(DescribeInstances::by_filters(other).page(), None);
    }

    #[test]
    fn answers() {
        let ok = parse(
            r#"{"Response":{"TotalCount":2,"InstanceSet":[
                {"InstanceId":"ins-00000001","InstanceState":"RUNNING","InstanceChargeType":"POSTPAID_BY_HOUR",
                 "Placement":{"Zone":"ap-guangzhou-6"},"CPU":2},
                {"InstanceId":"ins-00000002","InstanceState":"NEW_STATE","InstanceChargeType":"PREPAID"}],
                "RequestId":"r-1"}}"#,
        )
        .unwrap();
        assert_eq!(ok.total_count, 2);
        let id2 = InstanceId::parse("ins-00000002").unwrap();
        let second = ok.find(&id2).unwrap();
        assert_eq!(
            second.instance_state.as_ref().unwrap().as_str(),
            "NEW_STATE"
        );
        assert_eq!(second.instance_charge_type, Some(ChargeType::Prepaid));
        assert_eq!(
            ok.instance_set[0].instance_state,
            Some(InstanceState::Running)
        );
        assert!(ok
            .find(&InstanceId::parse("ins-00000003").unwrap())
            .is_none());

        let empty = parse(r#"{"Response":{"TotalCount":0,"InstanceSet":[],"RequestId":"r"}}"#);
        assert_eq!(empty.unwrap().instance_set, []);

        for unsafe_answer in [
            // An entry nobody can attribute.
            r#"{"Response":{"TotalCount":1,"InstanceSet":[{"InstanceState":"RUNNING"}],"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":1,"InstanceSet":[{"InstanceId":"i-1"}],"RequestId":"r"}}"#,
            // No set at all would read as "none of them exists".
            r#"{"Response":{"TotalCount":0,"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":0,"InstanceSet":null,"RequestId":"r"}}"#,
            r#"{"Response":{"TotalCount":-1,"InstanceSet":[],"RequestId":"r"}}"#,
        ] {
            assert!(
                matches!(parse(unsafe_answer), Err(ResponseError::WrongType { .. })),
                "{unsafe_answer}"
            );
        }
        // Errors are classified as for any action.
        let e = parse(r#"{"Response":{"Error":{"Code":"InvalidInstanceId.Malformed","Message":"m"},"RequestId":"r"}}"#)
            .unwrap_err();
        assert_eq!(
            e.service_error().unwrap().code.as_str(),
            "InvalidInstanceId.Malformed"
        );
        assert_eq!(
            parse(r#"{"Response":{"TotalCount":0,"InstanceSet":[],"RequestId":""}}"#),
            Err(ResponseError::MissingRequestId)
        );
    }
}
