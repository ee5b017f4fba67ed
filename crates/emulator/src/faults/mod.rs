//! Injected misbehaviour: the [`Fault`]s a server applies to its next requests, and the
//! queue they wait in.

pub(crate) mod answer;
pub(crate) mod fault;
mod queue;

pub use fault::{Fault, FaultSpecError, FieldChange};
pub(crate) use queue::FaultQueue;
