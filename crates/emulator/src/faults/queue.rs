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
    /// names, if any) whose body and query are `text` (see [`Fault::takes`]).
    pub(crate) fn take(&mut self, action: Option<&str>, text: &[u8]) -> Option<Fault> {
        let i = self.queued.iter().position(|q| {
            (q.action.is_none() || q.action.as_deref() == action) && q.fault.takes(text)
        })?;
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
            q.take(Some("DescribeInstances"), b""),
            Some(Fault::ServerErrorHtml)
        );
        assert_eq!(q.take(Some("DescribeInstances"), b""), None);
        assert_eq!(q.take(None, b""), None);
        assert_eq!(q.len(), 2);
        assert_eq!(
            q.take(Some("TerminateInstances"), b""),
            Some(Fault::CloseAfterStateChange)
        );
        assert_eq!(
            q.take(Some("TerminateInstances"), b""),
            Some(Fault::TruncatedBody)
        );
        assert_eq!(q.len(), 0);
        // A read refusal waits for a read that names its instance.
        let refuse = Fault::RefuseRead {
            id: "ins-00000001".into(),
            code: "UnauthorizedOperation".into(),
        };
        q.push(Some("DescribeInstances".into()), refuse.clone());
        q.push(Some("DescribeInstances".into()), Fault::DropEntries);
        assert_eq!(
            q.take(
                Some("DescribeInstances"),
                br#"{"InstanceIds":["ins-00000002"]}"#
            ),
            Some(Fault::DropEntries)
        );
        assert_eq!(
            q.take(
                Some("DescribeInstances"),
                br#"{"InstanceIds":["ins-00000002"]}"#
            ),
            None
        );
        assert_eq!(
            q.take(
                Some("DescribeInstances"),
                br#"{"InstanceIds":["ins-00000001"]}"#
            ),
            Some(refuse)
        );
    }
}
