//! Which region: `--region`, else `TENCENTCLOUD_REGION`, else the profile's `region`.

use std::fmt;

use crate::cli_error::CliError;

/// The variable naming the region when `--region` is not given (as tccli reads it).
pub const REGION_VAR: &str = "TENCENTCLOUD_REGION";

/// Where the region came from, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionSource {
    Flag,
    Environment,
    Profile,
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegionSource::Flag => "--region",
            RegionSource::Environment => REGION_VAR,
            RegionSource::Profile => "the profile's region",
        })
    }
}

/// A variable's value: unset, not Unicode, or a string.
pub type EnvValue = Result<String, std::env::VarError>;

/// The first of `flag`, `env` (the value of `TENCENTCLOUD_REGION`) and the
/// profile's region (read only when needed). A variable that is set but empty
/// or not Unicode is an error, not a fall-through: it names a region, wrongly.
pub fn resolve(
    flag: Option<&str>,
    env: EnvValue,
    profile: impl FnOnce() -> Result<Option<String>, CliError>,
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
    match profile()? {
        Some(region) => Ok((region, RegionSource::Profile)),
        None => Err(CliError::new(format!(
            "no region: pass --region (e.g. --region ap-guangzhou), set {REGION_VAR}, or add \
             `region = ...` to the profile in the credentials file"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::env::VarError;

    #[test]
    fn flag_then_environment_then_profile() {
        let read = Cell::new(0);
        let profile = || {
            read.set(read.get() + 1);
            Ok(Some("ap-beijing".to_owned()))
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
        assert_eq!(
            resolve(None, Err(VarError::NotPresent), profile),
            Ok(("ap-beijing".into(), RegionSource::Profile))
        );
        assert_eq!(read.get(), 1);
    }

    #[test]
    fn nothing_or_a_broken_variable_is_an_error() {
        let none = || Ok(None);
        let e = resolve(None, Err(VarError::NotPresent), none).unwrap_err();
        assert!(e.to_string().starts_with("no region: pass --region"), "{e}");
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
