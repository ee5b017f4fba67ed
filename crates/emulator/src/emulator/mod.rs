//! [`Emulator`]: the emulated service's state (credentials, instances, throttling
//! windows) and its accessors; how one is configured (`config`, `settings`) and how
//! it handles a request (`handler`).

pub(crate) mod config;
pub(crate) mod config_error;
pub(crate) mod handler;
pub(crate) mod settings;

use std::collections::BTreeMap;
use std::time::Duration;

use tencentcloud_cvm_core::signing::Signer;
use tencentcloud_cvm_core::Credentials;

use crate::credential_services::CredentialServices;
use crate::emulator::config_error::ConfigError;
use crate::emulator::settings::Settings;
use crate::fleet::instance::{is_valid_instance_id, InstanceView};
use crate::fleet::{Fleet, TerminationRecord};
use crate::now::Now;
use crate::throttle::{ArrivalJitter, RateLimits, Throttle};

/// The emulated service: credentials, instances, throttling windows and limits.
///
/// Build one with [`Emulator::builder`]; drive it with [`Emulator::handle`] (see there
/// for the order of checks and the actions it implements), or serve it with
/// [`Server`](crate::Server).
#[derive(Debug)]
pub struct Emulator {
    pub(crate) credentials: Vec<Credentials>,
    pub(crate) signer: Signer,
    pub(crate) fleet: Fleet,
    pub(crate) throttle: Throttle,
    pub(crate) rate_limits: RateLimits,
    pub(crate) terminating_for: Duration,
    pub(crate) clock_skew: Duration,
    pub(crate) body_limit: usize,
    pub(crate) credential_services: CredentialServices,
    pub(crate) regions: Option<Vec<String>>,
}

impl Emulator {
    /// An emulator with checked settings and instances (IDs valid and distinct, values
    /// modelled).
    pub(crate) fn from_settings(settings: Settings, views: Vec<InstanceView>) -> Self {
        let mut fleet = Fleet::default();
        for v in views {
            fleet.upsert(v, None);
        }
        Emulator {
            credentials: settings.credentials,
            signer: Signer::new(),
            fleet,
            throttle: Throttle::new(ArrivalJitter::new(
                settings.arrival_jitter,
                settings
                    .arrival_jitter_seed
                    .unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0),
            )),
            rate_limits: settings.rate_limits,
            terminating_for: settings.terminating_for,
            clock_skew: settings.clock_skew,
            body_limit: settings.body_limit,
            credential_services: CredentialServices::new(settings.credential_services),
            regions: settings.regions,
        }
    }

    /// Whether the emulator implements the action called `action`.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::Emulator;
    /// assert!(Emulator::implements("DescribeInstancesStatus"));
    /// assert!(!Emulator::implements("RunInstances"));
    /// ```
    pub fn implements(action: &str) -> bool {
        crate::actions::route(action).is_some()
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &[Credentials] {
        &self.credentials
    }

    /// The regions `DescribeRegions` lists: those configured with
    /// [`EmulatorConfig::regions`](crate::EmulatorConfig::regions), else the regions
    /// CVM's DescribeInstances page names and those of the fleet's zones, sorted.
    pub fn regions(&self) -> Vec<String> {
        if let Some(regions) = &self.regions {
            return regions.clone();
        }
        let mut regions: std::collections::BTreeSet<String> =
            crate::actions::describe_regions::DOCUMENTED_REGIONS
                .iter()
                .map(|(id, _, _)| (*id).to_owned())
                .collect();
        regions.extend(
            self.fleet
                .list()
                .filter_map(|v| v.region())
                .map(str::to_owned),
        );
        regions.into_iter().collect()
    }

    /// Who `GetCallerIdentity` says the credential `secret_id` belongs to (see
    /// [`CallerIdentity`](crate::CallerIdentity)).
    pub fn caller_identity(&self, secret_id: &str) -> crate::CallerIdentity {
        self.credential_services.identity_of(secret_id)
    }

    /// The temporary keys issued (CVM role, STS) and not yet forgotten, without secrets.
    pub fn temporary_credentials(&self) -> Vec<crate::IssuedCredentials> {
        self.credential_services.issued()
    }

    /// The largest request body it accepts, in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// One instance, if it exists.
    pub fn instance(&self, id: &str) -> Option<InstanceView> {
        self.fleet.get(id).cloned()
    }

    /// Every instance, ordered by ID.
    pub fn instances(&self) -> Vec<InstanceView> {
        self.fleet.list().cloned().collect()
    }

    /// Adds or replaces an instance (for tests that change state mid-run). An instance
    /// put in `TERMINATING` disappears once the terminating time has passed since `now`.
    pub fn upsert_instance(&mut self, view: InstanceView, now: Now) -> Result<(), ConfigError> {
        check_view(&view)?;
        self.fleet.upsert(view, Some(now.monotonic()));
        Ok(())
    }

    /// Changes the rate limit of every action (requests per sliding second per action,
    /// endpoint and SecretId; 0 disables), as
    /// [`EmulatorConfig::rate_limit`](crate::EmulatorConfig::rate_limit) does.
    pub fn set_rate_limit(&mut self, per_second: u32) {
        self.rate_limits.set_all(per_second);
    }

    /// Changes the rate limit of one action (e.g. `"TerminateInstances"`), as
    /// [`EmulatorConfig::action_rate_limit`](crate::EmulatorConfig::action_rate_limit) does.
    pub fn set_action_rate_limit(&mut self, action: &str, per_second: u32) {
        self.rate_limits.set(action, per_second);
    }

    /// The rate limit in force for `action` (requests per sliding second per endpoint
    /// and SecretId; 0: none), or `None` if the emulator does not implement it.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::Emulator;
    /// let mut e = Emulator::builder().action_rate_limit("TerminateInstances", 3).build()?;
    /// assert_eq!(e.rate_limit("TerminateInstances"), Some(3));
    /// assert_eq!(e.rate_limit("DescribeInstances"), Some(40));
    /// e.set_action_rate_limit("TerminateInstances", 1);
    /// assert_eq!(e.rate_limit("TerminateInstances"), Some(1));
    /// assert_eq!(e.rate_limit("RunInstances"), None);
    /// # Ok::<(), tencentcloud_cvm_emulator::ConfigError>(())
    /// ```
    pub fn rate_limit(&self, action: &str) -> Option<u32> {
        let route = crate::actions::route(action)?;
        Some(self.rate_limits.limit(route.action, route.rate_limit))
    }

    /// How many requests of `action` were refused with `RequestLimitExceeded` so far.
    pub fn throttled(&self, action: &str) -> u64 {
        self.throttle.refused(action)
    }

    /// The greatest lateness a request may count as arriving with (see
    /// [`EmulatorConfig::arrival_jitter`](crate::EmulatorConfig::arrival_jitter)).
    pub fn arrival_jitter(&self) -> Duration {
        self.throttle.jitter().max()
    }

    /// What TerminateInstances did to the instance `id` so far: how many requests
    /// named it, how many acted on it, and whether one destroyed it in the recycle bin.
    /// Kept after the instance is gone; all zeros for an instance never named.
    ///
    /// ```
    /// use tencentcloud_cvm_emulator::Emulator;
    /// let e = Emulator::builder().instances(1).build()?;
    /// let record = e.termination_record("ins-00000000");
    /// assert_eq!(record.requests, 0);
    /// assert!(!record.destroyed_from_recycle_bin);
    /// # Ok::<(), tencentcloud_cvm_emulator::ConfigError>(())
    /// ```
    pub fn termination_record(&self, id: &str) -> TerminationRecord {
        self.fleet.record(id)
    }

    /// Every instance a TerminateInstances named, with its record, by ID.
    pub fn termination_records(&self) -> &BTreeMap<String, TerminationRecord> {
        self.fleet.records()
    }

    /// The instances a TerminateInstances destroyed while they were in the recycle bin,
    /// by ID: what a safe client must never cause by accident.
    pub fn destroyed_from_recycle_bin(&self) -> Vec<String> {
        self.fleet
            .records()
            .iter()
            .filter(|(_, r)| r.destroyed_from_recycle_bin)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The instances that more than one TerminateInstances acted on, by ID.
    pub fn terminated_more_than_once(&self) -> Vec<String> {
        self.fleet
            .records()
            .iter()
            .filter(|(_, r)| r.accepted > 1)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The emulator's start: the Unix time of the first request it handled (or of the
    /// first [`advance`](Emulator::advance)), which creation times given as "ago"
    /// count back from.
    pub fn started(&self) -> Option<u64> {
        self.fleet.started()
    }

    /// Removes an instance; returns it if it existed.
    pub fn remove_instance(&mut self, id: &str) -> Option<InstanceView> {
        self.fleet.remove(id)
    }

    /// Lets time pass: instances whose `TERMINATING` phase is over by `now` disappear,
    /// and operations that are over succeed. [`handle`](Emulator::handle) does this
    /// first, so only call it to observe state.
    pub fn advance(&mut self, now: Now) {
        self.fleet
            .sweep(now.monotonic(), now.unix_seconds(), self.terminating_for);
    }
}

/// Checks what an instance must be to be modelled: a valid ID, documented values.
pub(crate) fn check_view(view: &InstanceView) -> Result<(), ConfigError> {
    if !is_valid_instance_id(&view.id) {
        return Err(ConfigError::InvalidInstanceId(view.id.clone()));
    }
    if let Some(what) = view.unmodelled_value() {
        return Err(ConfigError::UnmodelledValue {
            id: view.id.clone(),
            what,
        });
    }
    Ok(())
}
