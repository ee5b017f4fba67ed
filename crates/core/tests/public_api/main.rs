//! The core through its public API, one test binary: each module is what used
//! to be a file of its own in `tests/` (one binary each meant one link each).

mod python_sdk_bodies;
mod python_sdk_vectors;
mod secrets;
mod signer_concurrency;
