//! Which region to use when none is given: the decision, from the places the
//! credentials come from.
//!
//! 1. `TENCENTCLOUD_REGION` (set but empty, or not Unicode: an error, not a fall-through);
//! 2. the `region` of the profile in the project's credentials file;
//! 3. `_sys_param.region` of tccli's `<profile>.configure`.
//!
//! The files are read only when needed (the driver passes them as functions).

use std::fmt;
use std::path::PathBuf;

use crate::credentials::environment::{Lookup, VariableValue, REGION_VAR};
use crate::credentials::provider::CredentialsError;

/// Where a region was found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegionSource {
    /// `TENCENTCLOUD_REGION`.
    Environment,
    /// The profile's `region` in this credentials file.
    ProfileFile(PathBuf),
    /// tccli's configured region, in this file.
    Tccli(PathBuf),
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionSource::Environment => f.write_str(REGION_VAR),
            RegionSource::ProfileFile(p) => write!(f, "the profile's region in {}", p.display()),
            RegionSource::Tccli(p) => write!(f, "tccli's region in {}", p.display()),
        }
    }
}

/// A region and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedRegion {
    /// The region, e.g. `ap-guangzhou`.
    pub region: String,
    /// Where it was found.
    pub source: RegionSource,
}

/// Why the configured region could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionError {
    message: String,
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RegionError {}

/// What to do when nothing names a region, for error messages.
pub const NO_REGION_HINT: &str = "set TENCENTCLOUD_REGION, add `region = ...` to the profile in \
    the credentials file, or run `tccli configure set region ...`";

/// A region file source's answer: the region and the file, or none there.
pub type RegionInFile = Result<Option<(String, PathBuf)>, CredentialsError>;

/// The first of `TENCENTCLOUD_REGION`, `profile_file()` and `tccli()`;
/// `Ok(None)` when none names one.
///
/// ```
/// use tencentcloud_cvm_core::configured_region::{resolve_region, RegionSource};
/// use tencentcloud_cvm_core::env::VariableValue;
/// let unset = |_: &str| VariableValue::Unset;
/// let found = resolve_region(&unset, || Ok(None), || Ok(Some(("ap-guangzhou".into(), "/h/.tccli/default.configure".into()))))?;
/// let found = found.unwrap();
/// assert_eq!(found.region, "ap-guangzhou");
/// assert!(matches!(found.source, RegionSource::Tccli(_)));
/// # Ok::<(), tencentcloud_cvm_core::configured_region::RegionError>(())
/// ```
pub fn resolve_region(
    lookup: Lookup<'_>,
    profile_file: impl FnOnce() -> RegionInFile,
    tccli: impl FnOnce() -> RegionInFile,
) -> Result<Option<ResolvedRegion>, RegionError> {
    let fail = |message: String| Err(RegionError { message });
    match lookup(REGION_VAR) {
        VariableValue::Set(v) if v.trim().is_empty() => {
            return fail(format!(
                "{REGION_VAR} is set but empty; set it to a region or unset it"
            ))
        }
        VariableValue::Set(v) => {
            return Ok(Some(ResolvedRegion {
                region: v.trim().to_owned(),
                source: RegionSource::Environment,
            }))
        }
        VariableValue::NotUnicode => return fail(format!("{REGION_VAR} is not valid Unicode")),
        VariableValue::Unset => {}
    }
    let read = |what: RegionInFile| {
        what.map_err(|e| RegionError {
            message: format!("cannot read the region: {e}"),
        })
    };
    if let Some((region, path)) = read(profile_file())? {
        return Ok(Some(ResolvedRegion {
            region,
            source: RegionSource::ProfileFile(path),
        }));
    }
    Ok(read(tccli())?.map(|(region, path)| ResolvedRegion {
        region,
        source: RegionSource::Tccli(path),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::environment::fixed;
    use crate::credentials::provider::CredentialsErrorKind;
    use std::cell::Cell;

    #[test]
    fn environment_then_profile_then_tccli_read_lazily() {
        let reads = Cell::new(0);
        let file = |r: &'static str| {
            reads.set(reads.get() + 1);
            Ok(Some((r.to_owned(), PathBuf::from("/f"))))
        };
        let env = fixed(&[("TENCENTCLOUD_REGION", " ap-shanghai\n")]);
        let r = resolve_region(&env, || file("p"), || file("t"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.region.as_str(), r.source),
            ("ap-shanghai", RegionSource::Environment)
        );
        assert_eq!(reads.get(), 0);
        let none = fixed(&[]);
        let r = resolve_region(&none, || file("ap-beijing"), || file("t"))
            .unwrap()
            .unwrap();
        assert_eq!(r.region, "ap-beijing");
        assert_eq!(r.source.to_string(), "the profile's region in /f");
        assert_eq!(reads.get(), 1);
        let r = resolve_region(&none, || Ok(None), || file("ap-guangzhou"))
            .unwrap()
            .unwrap();
        assert_eq!(r.source.to_string(), "tccli's region in /f");
        assert_eq!(
            resolve_region(&none, || Ok(None), || Ok(None)).unwrap(),
            None
        );
    }

    #[test]
    fn a_broken_variable_or_file_is_an_error() {
        let e = resolve_region(
            &fixed(&[("TENCENTCLOUD_REGION", " ")]),
            || Ok(None),
            || Ok(None),
        )
        .unwrap_err();
        assert!(e.to_string().contains("set but empty"), "{e}");
        let bad = || {
            Err(CredentialsError::new(
                CredentialsErrorKind::Invalid,
                "profile file /x",
                "line 2: expected `key = value`",
            ))
        };
        let e = resolve_region(&fixed(&[]), bad, || Ok(None)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read the region: credentials from profile file /x: line 2: expected `key = value`"
        );
    }
}
