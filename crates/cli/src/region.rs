//! Which region: `--region`, else `TENCENTCLOUD_REGION`, else the configured
//! one (the profile's `region`, else tccli's).

use std::fmt;

use tencentcloud_cvm::credentials::NO_REGION_HINT;
use tencentcloud_cvm::ResolvedRegion;

use crate::cli_error::CliError;

/// The variable naming the region when `--region` is not given (as tccli reads it).
pub const REGION_VAR: &str = "TENCENTCLOUD_REGION";

/// Where the region came from, for the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionSource {
    Flag,
    Environment,
    /// A file, as the library's region chain says (the profile's region in
    /// the credentials file, or tccli's).
    Configured(tencentcloud_cvm::RegionSource),
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionSource::Flag => f.write_str("--region"),
            RegionSource::Environment => f.write_str(REGION_VAR),
            RegionSource::Configured(source) => source.fmt(f),
        }
    }
}

/// A variable's value: unset, not Unicode, or a string.
pub type EnvValue = Result<String, std::env::VarError>;

/// The first of `flag`, `env` (the value of `TENCENTCLOUD_REGION`) and the
/// configured region (read only when needed). A variable that is set but empty
/// or not Unicode is an error, not a fall-through: it names a region, wrongly.
pub fn resolve(
    flag: Option<&str>,
    env: EnvValue,
    configured: impl FnOnce() -> Result<Option<ResolvedRegion>, CliError>,
) -> Result<(String, RegionSource), CliError> {
    if let Some(region) = flag {
        return Ok((region.to_owned(), RegionSource::Flag));
    }
    match env {
        Ok(v) if v.trim().is_empty() => {
            return Err(CliError::new(format!(
                "{REGION_VAR} is set but empty; set it to a region or unset it"
            )))
        }
        Ok(v) => return Ok((v.trim().to_owned(), RegionSource::Environment)),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(CliError::new(format!("{REGION_VAR} is not valid Unicode")))
        }
        Err(std::env::VarError::NotPresent) => {}
    }
    match configured()? {
        Some(found) => Ok((found.region, RegionSource::Configured(found.source))),
        None => Err(CliError::new(format!(
            "no region: pass --region (e.g. --region ap-guangzhou), {NO_REGION_HINT}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::env::VarError;

    fn in_file(region: &str) -> Option<ResolvedRegion> {
        Some(ResolvedRegion {
            region: region.to_owned(),
            source: tencentcloud_cvm::RegionSource::ProfileFile(
                "/home/u/.tencentcloud/credentials".into(),
            ),
        })
    }

    #[test]
    fn flag_then_environment_then_profile() {
        let read = Cell::new(0);
        let profile = || {
            read.set(read.get() + 1);
            Ok(in_file("ap-beijing"))
        };
        assert_eq!(
            resolve(Some("ap-guangzhou"), Ok("ap-shanghai".into()), profile),
            Ok(("ap-guangzhou".into(), RegionSource::Flag))
        );
        assert_eq!(
            resolve(None, Ok(" ap-shanghai\n".into()), profile),
            Ok(("ap-shanghai".into(), RegionSource::Environment))
        );
        assert_eq!(read.get(), 0, "the file is read only when needed");
        let (region, source) = resolve(None, Err(VarError::NotPresent), profile).unwrap();
        assert_eq!(region, "ap-beijing");
        assert_eq!(
            source.to_string(),
            "the profile's region in /home/u/.tencentcloud/credentials"
        );
        assert_eq!(read.get(), 1);
        // tccli's, named as such.
        let tccli = || {
            Ok(Some(ResolvedRegion {
                region: "ap-chengdu".to_owned(),
                source: tencentcloud_cvm::RegionSource::Tccli("/h/.tccli/default.configure".into()),
            }))
        };
        let (region, source) = resolve(None, Err(VarError::NotPresent), tccli).unwrap();
        assert_eq!(region, "ap-chengdu");
        assert_eq!(
            source.to_string(),
            "tccli's region in /h/.tccli/default.configure"
        );
    }

    #[test]
    fn nothing_or_a_broken_variable_is_an_error() {
        let none = || Ok(None);
        let e = resolve(None, Err(VarError::NotPresent), none).unwrap_err();
        assert!(e.to_string().starts_with("no region: pass --region"), "{e}");
        assert!(
            e.to_string()
                .ends_with("or run `tccli configure set region ...`"),
            "{e}"
        );
        let e = resolve(None, Ok("  ".into()), none).unwrap_err();
        assert!(e.to_string().contains("set but empty"), "{e}");
        let e = resolve(None, Err(VarError::NotUnicode("\u{fffd}".into())), none).unwrap_err();
        assert!(e.to_string().contains("not valid Unicode"), "{e}");
        let failing = || {
            Err(CliError::new(
                "profile file /x: line 2: expected `key = value`",
            ))
        };
        let e = resolve(None, Err(VarError::NotPresent), failing).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
