//! The faults waiting for the server's next requests, each for one action or for any.

use std::collections::VecDeque;

use crate::faults::Fault;

#[derive(Clone, Debug)]
struct Queued {
    /// The action whose next request takes the fault; `None`: any action.
    action: Option<String>,
    fault: Fault,
}

/// Injected faults, in the order injected.
#[derive(Clone, Debug, Default)]
pub(crate) struct FaultQueue {
    queued: VecDeque<Queued>,
}

impl FaultQueue {
    /// Queues `fault` for the next request of `action` (`None`: of any action).
    pub(crate) fn push(&mut self, action: Option<String>, fault: Fault) {
        self.queued.push_back(Queued { action, fault });
    }

    /// Takes the first fault queued for a request of `action` (the `X-TC-Action` it
    /// names, if any).
    pub(crate) fn take(&mut self, action: Option<&str>) -> Option<Fault> {
        let i = self
            .queued
            .iter()
            .position(|q| q.action.is_none() || q.action.as_deref() == action)?;
        self.queued.remove(i).map(|q| q.fault)
    }

    /// How many faults are waiting.
    pub(crate) fn len(&self) -> usize {
        self.queued.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targeted_faults_wait_for_their_action() {
        let mut q = FaultQueue::default();
        q.push(
            Some("TerminateInstances".into()),
            Fault::CloseAfterStateChange,
        );
        q.push(None, Fault::ServerErrorHtml);
        q.push(Some("TerminateInstances".into()), Fault::TruncatedBody);
        // A read skips the terminate faults and takes the untargeted one.
        assert_eq!(
            q.take(Some("DescribeInstances")),
            Some(Fault::ServerErrorHtml)
        );
        assert_eq!(q.take(Some("DescribeInstances")), None);
        assert_eq!(q.take(None), None);
        assert_eq!(q.len(), 2);
        assert_eq!(
            q.take(Some("TerminateInstances")),
            Some(Fault::CloseAfterStateChange)
        );
        assert_eq!(
            q.take(Some("TerminateInstances")),
            Some(Fault::TruncatedBody)
        );
        assert_eq!(q.len(), 0);
    }
}
