//! [`Evidence`]: what a run has learnt about one instance that a later decision must
//! not forget, whatever stage the instance is in.
//!
//! It only grows: the fields are private to this module, and the methods only add,
//! so no decision elsewhere can make an instance look safer than what was seen.

/// What the run knows about one instance beyond its stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Evidence {
    /// RequestIds of our TerminateInstances for it, where the service gave one.
    request_ids: Vec<String>,
    /// How many times it was sent again after a read showed it untouched.
    resends: u32,
}

impl Evidence {
    /// A TerminateInstances for it was answered with `request_id` (accepted or not).
    pub(super) fn add_request_id(&mut self, request_id: String) {
        if !self.request_ids.contains(&request_id) {
            self.request_ids.push(request_id);
        }
    }

    /// It is being sent again after a read showed it untouched.
    pub(super) fn add_resend(&mut self) {
        self.resends = self.resends.saturating_add(1);
    }

    /// The RequestIds of our TerminateInstances for it, first first.
    pub(super) fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// How many times it was sent again after a read showed it untouched.
    pub(super) fn resends(&self) -> u32 {
        self.resends
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_only_grows() {
        let mut e = Evidence::default();
        e.add_request_id("r-1".into());
        e.add_request_id("r-2".into());
        e.add_request_id("r-1".into());
        assert_eq!(e.request_ids(), ["r-1", "r-2"]);
        e.add_resend();
        e.add_resend();
        assert_eq!(e.resends(), 2);
    }
}
