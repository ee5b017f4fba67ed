//! [`InstanceState`]: an instance's `InstanceState`, as `DescribeInstances` and
//! `DescribeInstancesStatus` report it.

use crate::model::api_value::api_value_enum;

api_value_enum! {
    /// An instance's state.
    ///
    /// The values are those of the API's instance state table (`InstanceStatus`, data
    /// types page of the CVM API), plus `TERMINATED`, `ISOLATING`, `FREEZING` and
    /// `BANNING`, which TerminateInstances' error table names as states it refuses.
    /// Anything else is kept in [`InstanceState::Unknown`].
    ///
    /// ```
    /// use tencentcloud_cvm_core::InstanceState;
    /// assert_eq!(InstanceState::parse("ENTER_RESCUE_MODE"), InstanceState::EnterRescueMode);
    /// let new = InstanceState::parse("HIBERNATING");
    /// assert!(!new.is_known());
    /// assert_eq!(new.as_str(), "HIBERNATING");
    /// ```
    InstanceState {
        /// Being created.
        Pending = "PENDING",
        /// Creation failed.
        LaunchFailed = "LAUNCH_FAILED",
        /// Running.
        Running = "RUNNING",
        /// Shut down.
        Stopped = "STOPPED",
        /// Starting.
        Starting = "STARTING",
        /// Shutting down.
        Stopping = "STOPPING",
        /// Rebooting.
        Rebooting = "REBOOTING",
        /// Stopped, waiting to be destroyed: a prepaid instance in the recycle bin.
        Shutdown = "SHUTDOWN",
        /// Being terminated.
        Terminating = "TERMINATING",
        /// Terminated.
        Terminated = "TERMINATED",
        /// Being isolated.
        Isolating = "ISOLATING",
        /// Frozen.
        Freezing = "FREEZING",
        /// Banned.
        Banning = "BANNING",
        /// Entering rescue mode.
        EnterRescueMode = "ENTER_RESCUE_MODE",
        /// In rescue mode.
        RescueMode = "RESCUE_MODE",
        /// Leaving rescue mode.
        ExitRescueMode = "EXIT_RESCUE_MODE",
        /// Entering a live migration.
        EnterServiceLiveMigrate = "ENTER_SERVICE_LIVE_MIGRATE",
        /// In a live migration.
        ServiceLiveMigrate = "SERVICE_LIVE_MIGRATE",
        /// Leaving a live migration.
        ExitServiceLiveMigrate = "EXIT_SERVICE_LIVE_MIGRATE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck::quickcheck;

    #[test]
    fn every_documented_state_round_trips() {
        let mut seen = std::collections::HashSet::new();
        for s in InstanceState::ALL {
            assert!(seen.insert(s.as_str()), "duplicate {s}");
            assert_eq!(&InstanceState::parse(s.as_str()), s);
            assert!(s.is_known());
        }
        assert_eq!(InstanceState::ALL.len(), 19);
        // Case matters: the service writes states in capitals.
        assert!(!InstanceState::parse("running").is_known());
    }

    #[test]
    fn serde_keeps_the_text() {
        let s: InstanceState = serde_json::from_str(r#""SHUTDOWN""#).unwrap();
        assert_eq!(s, InstanceState::Shutdown);
        let odd: InstanceState = serde_json::from_str(r#""NEW\u0041""#).unwrap();
        assert_eq!(odd.as_str(), "NEWA");
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""NEWA""#);
        assert!(serde_json::from_str::<InstanceState>("7").is_err());
    }

    quickcheck! {
        fn any_text_round_trips(s: String) -> bool {
            InstanceState::parse(&s).as_str() == s
        }
    }
}
