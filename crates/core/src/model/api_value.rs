//! String-valued API fields with a documented set of values ([`InstanceState`],
//! [`ChargeType`], …): each is an enum whose `Unknown` variant keeps any other text
//! verbatim, so a value the service adds later is never lost or misread as a known one.
//!
//! [`InstanceState`]: crate::InstanceState
//! [`ChargeType`]: crate::ChargeType

/// A value the service sent that this crate does not know, kept verbatim.
#[derive(Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) Box<str>);

impl UnknownValue {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Defines an API value enum: the documented values, plus `Unknown(UnknownValue)`.
/// Parsing never fails; the wire text round-trips exactly either way.
macro_rules! api_value_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $wire, "`")] $variant, )+
            /// A value this crate does not know, kept verbatim.
            Unknown($crate::model::api_value::UnknownValue),
        }

        impl $name {
            /// Every documented value, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The value for a wire string; unknown strings are kept verbatim.
            pub fn parse(wire: &str) -> $name {
                match wire {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown($crate::model::api_value::UnknownValue(other.into())),
                }
            }

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this is one of the documented values (not `Unknown`).
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::parse(s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::parse(&text))
            }
        }
    };
}

pub(crate) use api_value_enum;
