//! [`Service`]: which API 3.0 product a request goes to, and in which version.

/// An API 3.0 product: the service name (first label of its host, and the
/// service in the signature's credential scope) and the API version it speaks.
///
/// ```
/// use tencentcloud_cvm_core::Service;
/// assert_eq!(Service::CVM.default_host(), "cvm.tencentcloudapi.com");
/// assert_eq!(Service::STS.version(), "2018-08-13");
/// assert_eq!(Service::CVM.regional_host("ap-shanghai"), "cvm.ap-shanghai.tencentcloudapi.com");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Service {
    name: &'static str,
    version: &'static str,
}

impl Service {
    /// Cloud Virtual Machine, API version 2017-03-12.
    pub const CVM: Service = Service {
        name: "cvm",
        version: "2017-03-12",
    };
    /// Security Token Service (temporary credentials), API version 2018-08-13.
    pub const STS: Service = Service {
        name: "sts",
        version: "2018-08-13",
    };

    /// The service name, e.g. `cvm`.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The API version, e.g. `2017-03-12`.
    pub fn version(self) -> &'static str {
        self.version
    }

    /// The nearest-region host, e.g. `cvm.tencentcloudapi.com`.
    pub fn default_host(self) -> String {
        format!("{}.tencentcloudapi.com", self.name)
    }

    /// The host of one region, e.g. `cvm.ap-shanghai.tencentcloudapi.com`.
    pub fn regional_host(self, region: &str) -> String {
        format!("{}.{region}.tencentcloudapi.com", self.name)
    }
}
