//! [`TerminateOptions`]: what one terminate run asks for, beyond the IDs.

use std::sync::Arc;
use std::time::Duration;

use crate::actions::terminate_instances::TerminateInstances;
use crate::termination::journal::history::History;

/// The optional TerminateInstances parameters, applied to every batch, and how
/// the run goes about it.
///
/// | option | default |
/// | --- | --- |
/// | `ReleasePrepaidDataDisks`, `ReleaseAddress` | not sent (the service's default) |
/// | [`with_preflight`](TerminateOptions::with_preflight) | on: every instance is read before anything is sent |
/// | [`with_destroy_prepaid`](TerminateOptions::with_destroy_prepaid) | off: prepaid instances already in the recycle bin are skipped |
/// | [`with_wait`](TerminateOptions::with_wait) | off |
/// | [`with_settle_delay`](TerminateOptions::with_settle_delay) | 2 s |
/// | [`with_deadline`](TerminateOptions::with_deadline) | none |
/// | [`with_history`](TerminateOptions::with_history) | none: no earlier run is known |
///
/// Each `with_…` setter has a getter of the plain name.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_cvm_core::TerminateOptions;
/// let options = TerminateOptions::new()
///     .with_release_address(true)
///     .with_wait(Duration::from_secs(300))
///     .with_deadline(Duration::from_secs(600));
/// assert_eq!(options.release_address(), Some(true));
/// assert_eq!(options.settle_delay(), Duration::from_secs(2));
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
    history: Option<Arc<History>>,
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
            history: None,
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
    pub fn with_preflight(mut self, preflight: bool) -> Self {
        self.preflight = preflight;
        self
    }

    /// Also send TerminateInstances for prepaid instances already in the recycle
    /// bin (`SHUTDOWN`), which *destroys* them (default off: they are skipped).
    /// This option is the only way this crate ever sends that second call.
    pub fn with_destroy_prepaid(mut self, destroy: bool) -> Self {
        self.destroy_prepaid = destroy;
        self
    }

    /// After an instance is terminated, read it again every 2 s until it is gone
    /// (pay-as-you-go, or destroyed) or in the recycle bin (prepaid), for at most
    /// `timeout`; its outcome then carries the state it reached.
    pub fn with_wait(mut self, timeout: Duration) -> Self {
        self.wait = Some(timeout);
        self
    }

    /// How long after an unanswered TerminateInstances its instances are read to
    /// learn whether it acted (default 2 s).
    pub fn with_settle_delay(mut self, delay: Duration) -> Self {
        self.settle_delay = delay;
        self
    }

    /// `ReleasePrepaidDataDisks`: also release the prepaid data disks attached to the instances.
    pub fn with_release_prepaid_data_disks(mut self, release: bool) -> Self {
        self.release_prepaid_data_disks = Some(release);
        self
    }

    /// `ReleaseAddress`: also release the instances' elastic public IP addresses.
    pub fn with_release_address(mut self, release: bool) -> Self {
        self.release_address = Some(release);
        self
    }

    /// How long the whole run may take, from its start. Past it nothing new is
    /// sent: instances not yet sent end `not_sent`, and requests still in
    /// flight are given up as `unknown` (they may yet be processed).
    pub fn with_deadline(mut self, after: Duration) -> Self {
        self.deadline = Some(after);
        self
    }

    /// What earlier runs did, folded from their journal: an instance an earlier
    /// TerminateInstances terminated is reported `terminated` and not sent again; one
    /// whose earlier request may have been processed is resolved by reading (and,
    /// prepaid-like, never sent again without
    /// [`with_destroy_prepaid`](TerminateOptions::with_destroy_prepaid)). See
    /// [`History`](crate::History) for the rules.
    ///
    /// ```
    /// use tencentcloud_cvm_core::{History, TerminateOptions};
    /// let journal = b"{\"v\":1,\"type\":\"intent\",\"batch\":0,\"attempt\":1,\"instances\":[\"ins-00000001\"],\"charge_type\":\"PREPAID\",\"prepaid_like\":true,\"read\":true,\"destroy\":false}\n";
    /// let options = TerminateOptions::new().with_history(History::parse(journal)?);
    /// assert_eq!(options.history().map(|h| h.records()), Some(1));
    /// # Ok::<(), tencentcloud_cvm_core::JournalError>(())
    /// ```
    pub fn with_history(mut self, history: History) -> Self {
        self.history = Some(Arc::new(history));
        self
    }

    /// What earlier runs did, if given.
    pub fn history(&self) -> Option<&History> {
        self.history.as_deref()
    }

    /// Whether every instance is read before anything is sent.
    pub fn preflight(&self) -> bool {
        self.preflight
    }

    /// Whether prepaid instances already in the recycle bin are sent (and destroyed).
    pub fn destroy_prepaid(&self) -> bool {
        self.destroy_prepaid
    }

    /// How long terminated instances are waited for, if they are.
    pub fn wait(&self) -> Option<Duration> {
        self.wait
    }

    /// How long after an unanswered TerminateInstances its instances are read.
    pub fn settle_delay(&self) -> Duration {
        self.settle_delay
    }

    /// `ReleasePrepaidDataDisks`, if set.
    pub fn release_prepaid_data_disks(&self) -> Option<bool> {
        self.release_prepaid_data_disks
    }

    /// `ReleaseAddress`, if set.
    pub fn release_address(&self) -> Option<bool> {
        self.release_address
    }

    /// How long the whole run may take, if limited.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    pub(crate) fn apply(&self, mut request: TerminateInstances) -> TerminateInstances {
        if let Some(v) = self.release_prepaid_data_disks {
            request = request.with_release_prepaid_data_disks(v);
        }
        if let Some(v) = self.release_address {
            request = request.with_release_address(v);
        }
        request
    }
}
