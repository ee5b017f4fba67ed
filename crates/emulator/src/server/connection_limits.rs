//! Admission of connections: at most so many open at once in all, and at most so many
//! from one peer, so that one client holding idle connections cannot lock out others.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::server::service::lock;

/// The connections open now, in all and per peer address.
#[derive(Debug)]
pub(crate) struct ConnectionLimits {
    max_total: usize,
    max_per_peer: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_peer: HashMap<IpAddr, usize>,
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
pub(crate) struct Admission {
    limits: Arc<ConnectionLimits>,
    peer: IpAddr,
}

impl ConnectionLimits {
    pub(crate) fn new(max_total: usize, max_per_peer: usize) -> Arc<Self> {
        Arc::new(ConnectionLimits {
            max_total,
            max_per_peer,
            open: Mutex::new(Open::default()),
        })
    }

    /// Admits a connection from `peer`, or `None` when either limit is reached.
    pub(crate) fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<Admission> {
        let mut open = lock(&self.open);
        let from_peer = open.per_peer.get(&peer).copied().unwrap_or(0);
        if open.total >= self.max_total || from_peer >= self.max_per_peer {
            return None;
        }
        open.total += 1;
        open.per_peer.insert(peer, from_peer + 1);
        Some(Admission {
            limits: Arc::clone(self),
            peer,
        })
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut open = lock(&self.limits.open);
        open.total -= 1;
        if let Some(n) = open.per_peer.get_mut(&self.peer) {
            *n -= 1;
            if *n == 0 {
                // Forget peers with nothing open, so the map stays as small as the load.
                open.per_peer.remove(&self.peer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn each_peer_gets_at_most_its_share() {
        let limits = ConnectionLimits::new(10, 2);
        let a1 = limits.admit(ip(1)).unwrap();
        let _a2 = limits.admit(ip(1)).unwrap();
        assert!(limits.admit(ip(1)).is_none());
        let _b1 = limits.admit(ip(2)).unwrap();
        drop(a1);
        assert!(limits.admit(ip(1)).is_some());
    }

    #[test]
    fn all_peers_together_get_at_most_the_total() {
        let limits = ConnectionLimits::new(3, 2);
        let held: Vec<_> = [1, 1, 2].map(|n| limits.admit(ip(n)).unwrap()).into();
        assert!(limits.admit(ip(3)).is_none());
        drop(held);
        assert_eq!(lock(&limits.open).total, 0);
        assert!(lock(&limits.open).per_peer.is_empty());
        assert!(limits.admit(ip(3)).is_some());
    }
}
