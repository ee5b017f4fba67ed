//! `--rate-limit [ACTION=]N`: a ceiling for one action's requests per second, or for
//! every action's.

use std::fmt;

use tencentcloud_cvm::sans_io::RateLimit;
use tencentcloud_cvm::wire::Action;
use tencentcloud_cvm::RateLimits;

/// The most requests per second anyone could mean; the service documents 10 to 40.
const MOST: u32 = 10_000;

/// One `--rate-limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitArg {
    /// The action it is for; every action when `None`.
    pub action: Option<Action>,
    /// Requests per second.
    pub per_second: u32,
}

impl fmt::Display for RateLimitArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.action {
            Some(action) => write!(f, "{action}={}", self.per_second),
            None => write!(f, "{}", self.per_second),
        }
    }
}

/// Parses `N` or `ACTION=N` (an action tccvm sends, N from 1 to 10,000).
pub fn parse_rate_limit(s: &str) -> Result<RateLimitArg, String> {
    let (action, n) = match s.split_once('=') {
        Some((name, n)) => {
            let action = Action::parse(name).ok_or_else(|| {
                let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                format!("the actions are {}", names.join(", "))
            })?;
            (Some(action), n)
        }
        None => (None, s),
    };
    let per_second = n
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MOST).contains(n))
        .ok_or_else(|| format!("requests per second: a whole number from 1 to {MOST}"))?;
    Ok(RateLimitArg { action, per_second })
}

/// The limits the arguments set: `N` for every action, then `ACTION=N` over it,
/// whatever their order; the documented limits for the rest.
pub fn rate_limits(args: &[RateLimitArg]) -> RateLimits {
    let mut limits = RateLimits::new();
    let every = args.iter().rev().find(|a| a.action.is_none());
    if let Some(every) = every {
        for action in Action::ALL {
            limits = limits.with_limit(*action, RateLimit::per_second(every.per_second));
        }
    }
    for arg in args {
        if let Some(action) = arg.action {
            limits = limits.with_limit(action, RateLimit::per_second(arg.per_second));
        }
    }
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_or_every_action() {
        assert_eq!(
            parse_rate_limit("TerminateInstances=3"),
            Ok(RateLimitArg {
                action: Some(Action::TerminateInstances),
                per_second: 3
            })
        );
        assert_eq!(
            parse_rate_limit("5"),
            Ok(RateLimitArg {
                action: None,
                per_second: 5
            })
        );
        for bad in [
            "0",
            "-1",
            "2.5",
            "",
            "RunInstances=3",
            "terminateinstances=3",
            "TerminateInstances=",
            "10001",
        ] {
            assert!(parse_rate_limit(bad).is_err(), "{bad}");
        }
        assert!(parse_rate_limit("Nope=1")
            .unwrap_err()
            .contains("TerminateInstances"));
    }

    #[test]
    fn one_action_over_every_action_whatever_the_order() {
        let args = [
            parse_rate_limit("TerminateInstances=3").unwrap(),
            parse_rate_limit("20").unwrap(),
        ];
        let limits = rate_limits(&args);
        assert_eq!(limits.limit(Action::TerminateInstances).max(), 3);
        assert_eq!(limits.limit(Action::DescribeInstances).max(), 20);
        let none = rate_limits(&[]);
        assert_eq!(none.limit(Action::TerminateInstances).max(), 10);
        assert_eq!(none.limit(Action::DescribeInstances).max(), 40);
    }
}
