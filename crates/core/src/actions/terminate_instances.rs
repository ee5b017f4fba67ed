//! The TerminateInstances request: validated parameters and their JSON body.

use http::Response;

use crate::actions::api_request::ApiRequest;
use crate::actions::Action;
use crate::error::validation_error::ValidationError;
use crate::http::response::{parse_response, ResponseError, Success};
use crate::model::instance_id::InstanceId;
use crate::model::instance_id_list::InstanceIdList;

/// A validated TerminateInstances request.
///
/// Duplicated IDs are refused here (`InvalidParameterValue`): one request that
/// names an instance twice is almost always a caller's bug, and the service does
/// not document what it does with one. The batching layer
/// ([`crate::DistinctInstanceIds`]) removes duplicates instead, and reports each
/// instance once.
///
/// ```
/// use tencentcloud_cvm_core::TerminateInstances;
/// let req = TerminateInstances::new(["ins-r8hr2upy"])?.with_release_prepaid_data_disks(true);
/// assert_eq!(req.to_body(), br#"{"InstanceIds":["ins-r8hr2upy"],"ReleasePrepaidDataDisks":true}"#);
/// # Ok::<(), tencentcloud_cvm_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminateInstances {
    instance_ids: InstanceIdList,
    release_prepaid_data_disks: Option<bool>,
    release_address: Option<bool>,
}

impl TerminateInstances {
    /// Validates 1 to 100 distinct, well-formed instance IDs.
    pub fn new<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        InstanceIdList::parse(ids).map(Self::for_list)
    }

    /// Like [`TerminateInstances::new`] for IDs already parsed.
    pub fn from_ids(instance_ids: Vec<InstanceId>) -> Result<Self, ValidationError> {
        InstanceIdList::new(instance_ids).map(Self::for_list)
    }

    /// A request for a checked list of IDs.
    pub fn for_list(instance_ids: InstanceIdList) -> Self {
        TerminateInstances {
            instance_ids,
            release_prepaid_data_disks: None,
            release_address: None,
        }
    }

    /// Also release the prepaid (monthly subscribed) data disks attached to the instances.
    pub fn with_release_prepaid_data_disks(mut self, release: bool) -> Self {
        self.release_prepaid_data_disks = Some(release);
        self
    }

    /// Also release the instances' elastic public IP addresses.
    pub fn with_release_address(mut self, release: bool) -> Self {
        self.release_address = Some(release);
        self
    }

    /// The instance IDs, in the order given.
    pub fn instance_ids(&self) -> &[InstanceId] {
        self.instance_ids.as_slice()
    }

    /// The `ReleasePrepaidDataDisks` parameter, if set.
    pub fn release_prepaid_data_disks(&self) -> Option<bool> {
        self.release_prepaid_data_disks
    }

    /// The `ReleaseAddress` parameter, if set.
    pub fn release_address(&self) -> Option<bool> {
        self.release_address
    }

    /// The compact JSON body: `{"InstanceIds":[...],"ReleasePrepaidDataDisks":..,"ReleaseAddress":..}`.
    ///
    /// Written directly into one exactly-sized buffer: IDs are validated ASCII, so
    /// nothing needs escaping.
    pub fn to_body(&self) -> Vec<u8> {
        const DISKS: &[u8] = b",\"ReleasePrepaidDataDisks\":";
        const ADDRESS: &[u8] = b",\"ReleaseAddress\":";
        let flag_len =
            |f: Option<bool>, key: &[u8]| f.map_or(0, |v| key.len() + if v { 4 } else { 5 });
        let len = 1
            + self.instance_ids.json_field_len()
            + flag_len(self.release_prepaid_data_disks, DISKS)
            + flag_len(self.release_address, ADDRESS)
            + 1;
        let mut out = Vec::with_capacity(len);
        out.push(b'{');
        self.instance_ids.write_json_field(&mut out);
        for (flag, key) in [
            (self.release_prepaid_data_disks, DISKS),
            (self.release_address, ADDRESS),
        ] {
            if let Some(v) = flag {
                out.extend_from_slice(key);
                out.extend_from_slice(if v { b"true" } else { b"false" });
            }
        }
        out.push(b'}');
        out
    }
}

/// The JSON body as a serde type, for callers that parse bodies (the emulator, tests).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TerminateInstancesBody {
    /// `InstanceIds`.
    pub instance_ids: Vec<String>,
    /// `ReleasePrepaidDataDisks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_prepaid_data_disks: Option<bool>,
    /// `ReleaseAddress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_address: Option<bool>,
}

impl From<&TerminateInstances> for TerminateInstancesBody {
    fn from(r: &TerminateInstances) -> Self {
        TerminateInstancesBody {
            instance_ids: r
                .instance_ids()
                .iter()
                .map(|i| i.as_str().to_owned())
                .collect(),
            release_prepaid_data_disks: r.release_prepaid_data_disks,
            release_address: r.release_address,
        }
    }
}

impl ApiRequest for TerminateInstances {
    const ACTION: Action = Action::TerminateInstances;
    type Response = Success;
    fn to_body(&self) -> Vec<u8> {
        TerminateInstances::to_body(self)
    }
    /// Its success is the envelope's RequestId, which the envelope check
    /// already reads: the body is parsed once, not twice.
    fn parse_response(
        response: &Response<Vec<u8>>,
        max_body: usize,
    ) -> Result<Success, ResponseError> {
        parse_response(response, max_body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::error_code::ErrorCode;
    use quickcheck::{quickcheck, TestResult};

    fn id(n: usize) -> String {
        format!("ins-{n:08}")
    }

    #[test]
    fn validation_codes() {
        let none: [&str; 0] = [];
        assert_eq!(
            TerminateInstances::new(none).unwrap_err().code(),
            ErrorCode::MissingParameter
        );
        let many: Vec<String> = (0..101).map(id).collect();
        assert_eq!(
            TerminateInstances::new(&many).unwrap_err(),
            ValidationError::TooManyInstanceIds { count: 101 }
        );
        assert!(TerminateInstances::new(&many[..100]).is_ok());
        let e = TerminateInstances::new(["ins-00000001", "bogus", "ins-X"]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInstanceIdMalformed);
        assert!(e.to_string().contains("2 malformed"), "{e}");
        let e = TerminateInstances::new(["ins-00000001", "ins-00000001"]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidParameterValue);
    }

    #[test]
    fn body_layouts() {
        let r = TerminateInstances::new(["ins-00000001", "ins-00000002"]).unwrap();
        assert_eq!(
            r.to_body(),
            br#"{"InstanceIds":["ins-00000001","ins-00000002"]}"#
        );
        let r = r
            .with_release_prepaid_data_disks(false)
            .with_release_address(true);
        assert_eq!(
            r.to_body(),
            br#"{"InstanceIds":["ins-00000001","ins-00000002"],"ReleasePrepaidDataDisks":false,"ReleaseAddress":true}"#
        );
    }

    quickcheck! {
        fn body_round_trips_through_serde(n: u8, disks: Option<bool>, address: Option<bool>) -> TestResult {
            let n = usize::from(n % 100) + 1;
            let ids: Vec<String> = (0..n).map(|i| id(i * 7919)).collect();
            let mut r = TerminateInstances::new(&ids).unwrap();
            if let Some(d) = disks { r = r.with_release_prepaid_data_disks(d); }
            if let Some(a) = address { r = r.with_release_address(a); }
            let body = r.to_body();
            let exact_capacity = body.len() == body.capacity();
            let parsed: TerminateInstancesBody = serde_json::from_slice(&body).unwrap();
            let serde_bytes = serde_json::to_vec(&TerminateInstancesBody::from(&r)).unwrap();
            TestResult::from_bool(exact_capacity && parsed == TerminateInstancesBody::from(&r) && serde_bytes == body)
        }
    }
}
