//! Refunds as people and scripts read them: an exact decimal string with at
//! least two decimals, and its currency.
//!
//! InquiryPriceTerminateInstances answers `Refunds` as a bare JSON number with no
//! currency (its `PriceDetail` text says 元 on the China site). The currency is
//! the site's: the International site (`*.intl.tencentcloudapi.com`) bills in
//! USD, the China site (`*.tencentcloudapi.com`) in CNY. Any other endpoint (an
//! emulator) stands in for the China site.

use std::fmt;

use serde::Serialize;
use tencentcloud_cvm::model::Amount;

/// A currency code (ISO 4217).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Currency {
    /// Renminbi: the China site.
    #[serde(rename = "CNY")]
    Cny,
    /// US dollars: the International site.
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    /// The currency of the site whose API host is `host` (`cvm.tencentcloudapi.com`).
    pub fn of_host(host: &str) -> Currency {
        let host = host.to_ascii_lowercase();
        let host = host.split(':').next().unwrap_or_default();
        if host == "intl.tencentcloudapi.com" || host.ends_with(".intl.tencentcloudapi.com") {
            Currency::Usd
        } else {
            Currency::Cny
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
        }
    }
}

/// An amount of money: `{"amount":"745.40","currency":"CNY"}` in JSON,
/// `745.40 CNY` as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Money {
    #[serde(serialize_with = "amount_text")]
    pub amount: Amount,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Amount, currency: Currency) -> Money {
        Money { amount, currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", decimal(&self.amount), self.currency.code())
    }
}

fn amount_text<S: serde::Serializer>(amount: &Amount, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&decimal(amount))
}

/// `amount` exactly, with at least two decimals: `745.40`, `0.00`, `0.005`.
pub fn decimal(amount: &Amount) -> String {
    match amount.units_at_scale(2) {
        Some(cents) => {
            let sign = if cents < 0 { "-" } else { "" };
            let cents = cents.unsigned_abs();
            format!("{sign}{}.{:02}", cents / 100, cents % 100)
        }
        // Finer than a cent: every digit the service gave.
        None => amount.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    #[test]
    fn two_decimals_at_least_and_never_rounded() {
        for (given, shown) in [
            ("745.4", "745.40"),
            ("0", "0.00"),
            ("2644.44", "2644.44"),
            ("0.005", "0.005"),
            ("12", "12.00"),
            ("-1.5", "-1.50"),
            ("1e2", "100.00"),
        ] {
            assert_eq!(decimal(&amount(given)), shown, "{given}");
        }
    }

    #[test]
    fn json_and_text() {
        let m = Money::new(amount("745.4"), Currency::Cny);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"amount":"745.40","currency":"CNY"}"#
        );
        assert_eq!(m.to_string(), "745.40 CNY");
    }

    #[test]
    fn the_site_names_the_currency() {
        assert_eq!(Currency::of_host("cvm.tencentcloudapi.com"), Currency::Cny);
        assert_eq!(
            Currency::of_host("cvm.ap-guangzhou.tencentcloudapi.com"),
            Currency::Cny
        );
        assert_eq!(
            Currency::of_host("cvm.intl.tencentcloudapi.com"),
            Currency::Usd
        );
        assert_eq!(
            Currency::of_host("CVM.INTL.TencentCloudAPI.com:443"),
            Currency::Usd
        );
        assert_eq!(Currency::of_host("127.0.0.1:8080"), Currency::Cny);
        assert_eq!(
            Currency::of_host("evil-intl.tencentcloudapi.com.example"),
            Currency::Cny
        );
    }
}
