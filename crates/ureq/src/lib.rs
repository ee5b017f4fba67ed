//! Blocking IO for the Tencent Cloud CVM API 3.0 client: a ureq transport,
//! the system clock, credentials from the environment and the credentials
//! file, and [`Client`], which drives the sans-IO core's
//! [`Termination`](tencentcloud_cvm_core::Termination) over them.
//!
//! ```text
//!  Client ──► driver loop (no decisions: poll_transmit / handle_response / poll_timeout)
//!               ├─ Termination + ClientState   (tencentcloud-cvm-core: batching, rate limits,
//!               │                               signing, safe retries, outcomes)
//!               ├─ Arc<dyn Transport>           UreqTransport (default) or yours, one
//!               │                               short-lived thread per request in flight
//!               ├─ Arc<dyn WallClock>           SystemClock (default) or yours
//!               └─ Arc<dyn ProvideCredentials>  DefaultCredentialsChain (default) or yours
//! ```
//!
//! ```no_run
//! use tencentcloud_cvm_core::TerminateOptions;
//! use tencentcloud_cvm_ureq::Client;
//! let client = Client::builder().region("ap-guangzhou").build()?;
//! let report = client.terminate(["ins-r8hr2upy"], &TerminateOptions::new())?;
//! println!("{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Credentials
//!
//! | provider                    | reads                                                      |
//! |-----------------------------|------------------------------------------------------------|
//! | [`EnvironmentCredentials`]  | `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN` (or `TENCENTCLOUD_TOKEN`) |
//! | [`ProfileFileCredentials`]  | `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials` |
//! | [`TccliCredentials`]        | tccli's `~/.tccli/<profile>.credential` (keys, a role, or `cvm-role`) |
//! | [`AssumeRoleCredentials`]   | STS `AssumeRole` with another provider's credentials (`TENCENTCLOUD_STS_ENDPOINT`) |
//! | [`WebIdentityCredentials`]  | STS `AssumeRoleWithWebIdentity` with TKE's OIDC token (`TKE_*`) |
//! | [`CvmRoleCredentials`]      | the CVM instance's CAM role from the metadata service (`TENCENTCLOUD_METADATA_ENDPOINT`) |
//! | [`DefaultCredentialsChain`] | all of them, in the order its documentation explains       |
//!
//! Every decision of these providers (the variables' rule, the files' formats,
//! what each answer means, when to refresh, the chain's order) is the core's,
//! sans-IO, so an async driver makes the same ones; this crate does the IO.
//!
//! [`DefaultRegionChain`] gives the region when none is given, from the same
//! places: `TENCENTCLOUD_REGION`, the profile's `region`, tccli's configured
//! region. [`ClientBuilder::build`] asks it.
//!
//! Every value read is checked with
//! [`Credentials::validate`](tencentcloud_cvm_core::Credentials::validate)
//! where it is read (a CR or LF in a variable is an error naming the
//! variable, before anything is sent). The three temporary sources cache
//! their key and refresh it when 300 s or less remain, one refresh at a time
//! for all threads; a failed refresh keeps a still-valid key, with a warning
//! logged (`log` crate, no secret in it).
//!
//! A source that is absent answers [`CredentialsErrorKind::NotConfigured`] and
//! the chain moves on; a source that is present but unusable answers
//! [`CredentialsErrorKind::Invalid`] and the chain stops there, so a typo never
//! silently falls through to other credentials. Errors name the source (the
//! variable, the file and line), never a secret.
//!
//! [`CredentialsErrorKind::NotConfigured`]: tencentcloud_cvm_core::CredentialsErrorKind::NotConfigured
//! [`CredentialsErrorKind::Invalid`]: tencentcloud_cvm_core::CredentialsErrorKind::Invalid
//!
//! # Proxy
//!
//! With [`ProxyConfig::FromEnvironment`] (the default), the environment is read
//! once, when the transport is built, the way curl reads it:
//!
//! | request to | proxy from the first of these that is set and not empty |
//! |------------|----------------------------------------------------------|
//! | `https://` | `https_proxy`, `HTTPS_PROXY`, `all_proxy`, `ALL_PROXY`   |
//! | `http://`  | `http_proxy`, `all_proxy`, `ALL_PROXY`                   |
//!
//! Upper-case `HTTP_PROXY` is not read, as curl does not read it (a CGI server
//! puts a request's `Proxy:` header there). A proxy URL is `http://`,
//! `https://`, `socks4://`, `socks4a://` or `socks5://` (no scheme means
//! `http://`), with optional user info; one that cannot be parsed makes the
//! requests it would carry fail as [`NotSent`], naming the
//! variable (not its value, which may hold a password), rather than bypass it.
//!
//! These hosts go direct:
//!
//! * **loopback**: `localhost`, 127.0.0.0/8 and `::1`, always. A proxy on
//!   another machine would reach its own loopback, not ours (so a local
//!   emulator would answer "connection refused" through it). curl has no such
//!   rule: this is where this transport departs from it. To send loopback
//!   traffic through a proxy, give it as [`ProxyConfig::Url`].
//! * those `no_proxy` (or, when that is unset, `NO_PROXY`) lists, as curl
//!   matches them: a comma-separated list (blanks around entries ignored);
//!   `*` matches every host; a name matches itself and its subdomains, a
//!   leading or trailing dot ignored (`example.com` and `.example.com` both
//!   match `example.com` and `api.example.com`, not `notexample.com`); an IP
//!   address, IPv6 without brackets, matches that address, and with `/bits`
//!   (CIDR) its network (`10.0.0.0/8`, `fd00::/8`). Names never match
//!   addresses: list both if a host is reached both ways. (Two small
//!   liberties: a `*` entry anywhere in the list matches every host, where
//!   curl needs `*` to be the whole list; and `/0` matches every address of
//!   its family, where curl reads it as no prefix.)
//!
//! [`ProxyConfig::Url`] sends every request through that proxy and
//! [`ProxyConfig::None`] none; neither reads the environment.
//!
//! [`NotSent`]: tencentcloud_cvm_core::TransportErrorKind::NotSent
//!
//! # Trusted certificate authorities
//!
//! https requests trust the built-in roots (Mozilla's), or, when
//! `SSL_CERT_FILE` names a PEM file, that file's certificates **instead**, as
//! curl and OpenSSL read it; [`UreqTransportBuilder::trust_roots`] with
//! [`TrustRoots::pem_file`] does the same explicitly (for an emulator's
//! self-signed certificate, say). A file that cannot be used fails every
//! https request before it is sent, naming the file; it never falls back to
//! other roots.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod blocking_transport;
mod cancel_token;
mod client;
mod credentials;
pub mod journal;
mod transport;
mod wall_clock;

#[cfg(test)]
mod test_support;

pub use blocking_transport::Transport;
pub use cancel_token::CancelToken;
pub use client::{
    CallerIdentityError, Client, ClientBuildError, ClientBuilder, Regions, SelectError,
};
pub use journal::{
    Journal, JournalContents, JournalDir, JournalFileError, JournalFileErrorKind, JournalOptions,
    LockHolder, StampedRecord,
};
// The credentials module's items (providers, their builders, and the names of
// the variables and files they read) are all at the crate root.
pub use credentials::*;
pub use transport::{
    InvalidProxy, InvalidTrustRoots, ProxyConfig, TrustRoots, UreqTransport, UreqTransportBuilder,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
};
pub use wall_clock::{SystemClock, WallClock};

/// The README's code blocks, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
