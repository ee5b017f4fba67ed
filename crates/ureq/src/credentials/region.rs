//! [`DefaultRegionChain`]: the region when none is given, from where the
//! credentials come from. The order is the core's
//! ([`tencentcloud_cvm_core::configured_region`]).

use std::path::PathBuf;

use tencentcloud_cvm_core::configured_region::{resolve_region, RegionError, ResolvedRegion};

use super::{EnvLookup, ProfileFileCredentials, TccliCredentials};

/// The region when none is given: `TENCENTCLOUD_REGION`, else the `region` of
/// the profile in the credentials file, else tccli's `_sys_param.region` in
/// `~/.tccli/<profile>.configure`; the same profile as the credentials
/// (`TENCENTCLOUD_PROFILE`, else `default`; for tccli's file `TCCLI_PROFILE` too,
/// after `TENCENTCLOUD_PROFILE`). [`ClientBuilder::build`](crate::ClientBuilder::build)
/// asks it when no region is given; `tccvm` asks it when `--region` is not given.
///
/// ```
/// use tencentcloud_cvm_ureq::DefaultRegionChain;
/// let chain = DefaultRegionChain::builder()
///     .lookup(|name| (name == "TENCENTCLOUD_REGION").then(|| "ap-shanghai".to_owned()))
///     .build();
/// let found = chain.region()?.expect("a region");
/// assert_eq!(found.region, "ap-shanghai");
/// assert_eq!(found.source.to_string(), "TENCENTCLOUD_REGION");
/// # Ok::<(), tencentcloud_cvm_core::configured_region::RegionError>(())
/// ```
#[derive(Debug)]
pub struct DefaultRegionChain {
    lookup: EnvLookup,
    profile_file: ProfileFileCredentials,
    tccli: TccliCredentials,
}

/// Settings for [`DefaultRegionChain`].
#[derive(Debug)]
pub struct DefaultRegionChainBuilder {
    lookup: EnvLookup,
    profile: Option<String>,
    credentials_file: Option<PathBuf>,
    system_file: Option<PathBuf>,
    tccli_dir: Option<PathBuf>,
}

impl Default for DefaultRegionChain {
    fn default() -> Self {
        DefaultRegionChain::new()
    }
}

impl DefaultRegionChain {
    /// Reads the process environment and the default files.
    pub fn new() -> Self {
        DefaultRegionChain::builder().build()
    }

    /// Starts a builder.
    pub fn builder() -> DefaultRegionChainBuilder {
        DefaultRegionChainBuilder {
            lookup: EnvLookup::Process,
            profile: None,
            credentials_file: None,
            system_file: None,
            tccli_dir: None,
        }
    }

    /// The region and where it was found; `Ok(None)` when nothing names one.
    /// A variable set but empty, or a file that cannot be read: an error.
    pub fn region(&self) -> Result<Option<ResolvedRegion>, RegionError> {
        resolve_region(
            &|name| self.lookup.get(name),
            || self.profile_file.region_and_file(),
            || self.tccli.region_and_file(),
        )
    }
}

impl DefaultRegionChainBuilder {
    /// Reads variables through `lookup` (`None`: unset) instead of the process environment.
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = EnvLookup::custom(lookup);
        self
    }

    /// Reads this profile, whatever the variables say (a command line's `--profile`).
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Reads this credentials file instead of searching for one.
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// Replaces `/etc/tencentcloud/credentials`, the file tried last.
    pub fn system_credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_file = Some(path.into());
        self
    }

    /// Replaces `~/.tccli`.
    pub fn tccli_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.tccli_dir = Some(path.into());
        self
    }

    /// Builds the chain. Reads nothing yet.
    pub fn build(self) -> DefaultRegionChain {
        let mut profile_file = ProfileFileCredentials::from_lookup(self.lookup.clone());
        let mut tccli = TccliCredentials::from_lookup(self.lookup.clone());
        if let Some(path) = self.credentials_file {
            profile_file = profile_file.with_path(path);
        }
        if let Some(path) = self.system_file {
            profile_file = profile_file.with_system_file(path);
        }
        if let Some(dir) = self.tccli_dir {
            tccli = tccli.with_dir(dir);
        }
        if let Some(name) = self.profile {
            profile_file = profile_file.with_profile(name.clone());
            tccli = tccli.with_profile(name);
        }
        DefaultRegionChain {
            lookup: self.lookup,
            profile_file,
            tccli,
        }
    }
}
