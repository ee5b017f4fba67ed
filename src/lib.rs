//! Facade.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
pub use tencentcloud_cvm_core as core;
