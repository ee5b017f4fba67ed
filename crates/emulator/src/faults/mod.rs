//! Injected misbehaviour: the [`Fault`]s a server applies to its next requests, and the
//! queue they wait in.

mod fault;
mod queue;

pub use fault::{Fault, FaultSpecError};
pub(crate) use queue::FaultQueue;
