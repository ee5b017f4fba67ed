//! [`VirtualPrivateCloud`]: the VPC and subnet of an instance's primary network interface.

use serde::Deserialize;

/// An instance's `VirtualPrivateCloud` (the fields a selection reads). Both may be
/// absent or `null`.
///
/// ```
/// use tencentcloud_cvm_core::VirtualPrivateCloud;
/// let v: VirtualPrivateCloud = serde_json::from_str(
///     r#"{"VpcId": "vpc-1yg5ua6l", "SubnetId": "subnet-iw7bhwsh", "AsVpcGateway": false}"#)?;
/// assert_eq!(v.vpc_id.as_deref(), Some("vpc-1yg5ua6l"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VirtualPrivateCloud {
    /// `VpcId`, e.g. `vpc-1yg5ua6l`.
    pub vpc_id: Option<String>,
    /// `SubnetId`, e.g. `subnet-iw7bhwsh`.
    pub subnet_id: Option<String>,
}
