//! [`TerminateOptions`]: what one terminate run asks for, beyond the IDs.

use std::time::Duration;

use crate::actions::terminate_instances::TerminateInstances;

/// The optional TerminateInstances parameters, applied to every batch, and how
/// the run goes about it.
///
/// | option | default |
/// | --- | --- |
/// | `ReleasePrepaidDataDisks`, `ReleaseAddress` | not sent (the service's default) |
/// | [`preflight`](TerminateOptions::preflight) | on: every instance is read before anything is sent |
/// | [`destroy_prepaid`](TerminateOptions::destroy_prepaid) | off: prepaid instances already in the recycle bin are skipped |
/// | [`wait`](TerminateOptions::wait) | off |
/// | [`settle_delay`](TerminateOptions::settle_delay) | 2 s |
/// | [`deadline`](TerminateOptions::deadline) | none |
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::TerminateOptions;
/// let options = TerminateOptions::new()
///     .release_address(true)
///     .wait(Duration::from_secs(300))
///     .deadline(Duration::from_secs(600));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerminateOptions {
    release_prepaid_data_disks: Option<bool>,
    release_address: Option<bool>,
    deadline: Option<Duration>,
    preflight: bool,
    destroy_prepaid: bool,
    wait: Option<Duration>,
    settle_delay: Duration,
}

impl Default for TerminateOptions {
    fn default() -> Self {
        TerminateOptions {
            release_prepaid_data_disks: None,
            release_address: None,
            deadline: None,
            preflight: true,
            destroy_prepaid: false,
            wait: None,
            settle_delay: Duration::from_secs(2),
        }
    }
}

impl TerminateOptions {
    /// The defaults: preflight on, prepaid instances in the recycle bin skipped,
    /// no waiting, no deadline, no optional parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to read every instance (DescribeInstances) before sending anything
    /// (default on). The read decides what is sent: absent, protected or refused
    /// instances fail without a request, prepaid instances in the recycle bin are
    /// skipped, and the rest is batched by charge type. Off, TerminateInstances is
    /// sent blind, as the official SDKs do; unknown outcomes are still resolved
    /// by reading.
    pub fn preflight(mut self, preflight: bool) -> Self {
        self.preflight = preflight;
        self
    }

    /// Also send TerminateInstances for prepaid instances already in the recycle
    /// bin (`SHUTDOWN`), which *destroys* them (default off: they are skipped).
    /// This option is the only way this crate ever sends that second call.
    pub fn destroy_prepaid(mut self, destroy: bool) -> Self {
        self.destroy_prepaid = destroy;
        self
    }

    /// After an instance is terminated, read it again every 2 s until it is gone
    /// (pay-as-you-go, or destroyed) or in the recycle bin (prepaid), for at most
    /// `timeout`; its outcome then carries the state it reached.
    pub fn wait(mut self, timeout: Duration) -> Self {
        self.wait = Some(timeout);
        self
    }

    /// How long after an unanswered TerminateInstances its instances are read to
    /// learn whether it acted (default 2 s).
    pub fn settle_delay(mut self, delay: Duration) -> Self {
        self.settle_delay = delay;
        self
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

    pub(crate) fn preflight_on(&self) -> bool {
        self.preflight
    }

    pub(crate) fn destroys_prepaid(&self) -> bool {
        self.destroy_prepaid
    }

    pub(crate) fn wait_timeout(&self) -> Option<Duration> {
        self.wait
    }

    pub(crate) fn settle(&self) -> Duration {
        self.settle_delay
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
