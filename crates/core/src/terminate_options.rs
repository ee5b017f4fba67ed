//! [`TerminateOptions`]: what one terminate run asks for, beyond the IDs.

use std::time::Duration;

use crate::terminate::TerminateInstances;

/// The optional TerminateInstances parameters, applied to every batch, and the
/// run's own limits.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::TerminateOptions;
/// let options = TerminateOptions::new()
///     .release_address(true)
///     .deadline(Duration::from_secs(30));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerminateOptions {
    release_prepaid_data_disks: Option<bool>,
    release_address: Option<bool>,
    deadline: Option<Duration>,
}

impl TerminateOptions {
    /// No optional parameters, no deadline.
    pub fn new() -> Self {
        Self::default()
    }

    /// `ReleasePrepaidDataDisks`: also release the prepaid data disks attached to the instances.
    pub fn release_prepaid_data_disks(mut self, release: bool) -> Self {
        self.release_prepaid_data_disks = Some(release);
        self
    }

    /// `ReleaseAddress`: also release the instances' elastic public IP addresses.
    pub fn release_address(mut self, release: bool) -> Self {
        self.release_address = Some(release);
        self
    }

    /// How long the whole run may take, from its start. Past it nothing new is
    /// sent: instances not yet sent end `not_sent`, and requests still in
    /// flight are given up as `unknown` (they may yet be processed).
    pub fn deadline(mut self, after: Duration) -> Self {
        self.deadline = Some(after);
        self
    }

    /// The deadline, if one was set.
    pub fn deadline_after(&self) -> Option<Duration> {
        self.deadline
    }

    pub(crate) fn apply(&self, mut request: TerminateInstances) -> TerminateInstances {
        if let Some(v) = self.release_prepaid_data_disks {
            request = request.release_prepaid_data_disks(v);
        }
        if let Some(v) = self.release_address {
            request = request.release_address(v);
        }
        request
    }
}
