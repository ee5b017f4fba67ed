//! Which regions a command covers (`--region R1,R2`, `--all-regions`) and the
//! endpoint of each (`--endpoint URL`, `--endpoint REGION=URL`).

use tencentcloud_cvm::selection::Regions;
use tencentcloud_cvm::CancelToken;

use crate::cli_error::CliError;
use crate::connection::Connection;
use crate::terminal_text::escape;

/// The `--endpoint` values: one for every region, and some for one region each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub all: Option<String>,
    pub per_region: Vec<(String, String)>,
}

/// Whether `text` reads as a region ID (as a request names one).
fn region_like(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Endpoints {
    /// `URL` (every region, at most once) and `REGION=URL` (one region each, once).
    pub fn parse(values: &[String]) -> Result<Endpoints, CliError> {
        let mut endpoints = Endpoints::default();
        for value in values {
            match value.split_once('=') {
                Some((region, url)) if region_like(region) => {
                    if endpoints.per_region.iter().any(|(r, _)| r == region) {
                        return Err(CliError::new(format!(
                            "--endpoint gives region {} more than one endpoint",
                            escape(region)
                        )));
                    }
                    endpoints
                        .per_region
                        .push((region.to_owned(), url.to_owned()));
                }
                _ => {
                    if endpoints.all.is_some() {
                        return Err(CliError::new(
                            "--endpoint URL (for every region) is given more than once; name the \
                             region of each with --endpoint REGION=URL",
                        ));
                    }
                    endpoints.all = Some(value.clone());
                }
            }
        }
        Ok(endpoints)
    }

    /// The endpoint for `region`: its own, else the one for every region.
    pub fn for_region(&self, region: &str) -> Option<&str> {
        self.per_region
            .iter()
            .find(|(r, _)| r == region)
            .map(|(_, url)| url.as_str())
            .or(self.all.as_deref())
    }
}

/// The regions `--region` lists (comma-separated, each once, in order).
pub fn listed(flag: &str) -> Result<Vec<String>, CliError> {
    let mut regions: Vec<String> = Vec::new();
    for part in flag.split(',') {
        let region = part.trim();
        if region.is_empty() {
            return Err(CliError::new(format!(
                "--region {}: a region is empty (write --region ap-guangzhou,ap-shanghai)",
                escape(flag)
            )));
        }
        if !regions.iter().any(|r| r == region) {
            regions.push(region.to_owned());
        }
    }
    Ok(regions)
}

/// One client per region of the command: the regions `--region` lists, or those
/// DescribeRegions lists for `--all-regions`, or the connection's one region.
/// With one region and no endpoint of its own, the connection's client itself
/// (its endpoint as a run by IDs has it); otherwise each region's client on its
/// endpoint (its own by default).
pub fn regions(
    connection: &Connection,
    region_flag: Option<&str>,
    all_regions: bool,
    endpoints: &Endpoints,
    cancel: &CancelToken,
) -> Result<Regions, CliError> {
    let names = if all_regions {
        let listed = connection
            .client
            .available_regions(cancel)
            .map_err(|e| CliError::caused_by("cannot list the regions (DescribeRegions)", &e))?;
        if listed.is_empty() {
            return Err(CliError::new(
                "DescribeRegions lists no available region; nothing was read",
            ));
        }
        listed
    } else {
        match region_flag {
            Some(flag) => listed(flag)?,
            None => vec![connection.region.clone()],
        }
    };
    for (region, _) in &endpoints.per_region {
        // A set of endpoints kept for every region serves a run over some of them.
        if !names.contains(region) {
            log::info!("--endpoint for {region}: not a region of this command");
        }
    }
    let mut clients = Vec::with_capacity(names.len());
    for name in &names {
        let own = endpoints.per_region.iter().any(|(r, _)| r == name);
        if names.len() == 1 && *name == connection.region && !own {
            clients.push(connection.client.clone());
            continue;
        }
        let endpoint = connection
            .embedded_url()
            .or(endpoints.for_region(name).map(str::to_owned));
        let client = connection
            .client
            .for_region(name, endpoint.as_deref())
            .map_err(|e| CliError::caused_by(&format!("region {}", escape(name)), &e))?;
        clients.push(client);
    }
    Ok(Regions::new(clients))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn endpoints_for_all_and_per_region() {
        let e = Endpoints::parse(&strings(&[
            "http://127.0.0.1:1",
            "ap-shanghai=https://cvm.internal:8443",
        ]))
        .unwrap();
        assert_eq!(
            e.for_region("ap-shanghai"),
            Some("https://cvm.internal:8443")
        );
        assert_eq!(e.for_region("ap-guangzhou"), Some("http://127.0.0.1:1"));
        assert_eq!(Endpoints::parse(&[]).unwrap().for_region("x"), None);
        // A URL is never read as a region (it has a scheme, a dot or a colon).
        let url = Endpoints::parse(&strings(&["https://x.example/?a=b"])).unwrap();
        assert_eq!(url.all.as_deref(), Some("https://x.example/?a=b"));
        for bad in [
            &["http://a", "http://b"][..],
            &["ap-x=http://a", "ap-x=http://b"],
        ] {
            assert!(Endpoints::parse(&strings(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn region_lists() {
        assert_eq!(
            listed("ap-guangzhou, ap-shanghai,ap-guangzhou").unwrap(),
            ["ap-guangzhou", "ap-shanghai"]
        );
        assert!(listed("ap-guangzhou,,ap-shanghai").is_err());
        assert!(listed("").is_err());
    }
}
