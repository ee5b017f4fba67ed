//! Errors that span concepts: [`ValidationError`](crate::ValidationError) (a
//! request refused before anything was built), [`TerminateError`](crate::TerminateError)
//! (a terminate call that sent nothing at all), and one way to print an error with
//! its causes. Errors that belong to one concept live beside it (`BuildError` with
//! HTTP, `InvalidCredentials` with credentials, `ResponseError` with the response).

pub(crate) mod error_chain;
pub(crate) mod terminate_error;
pub(crate) mod validation_error;
