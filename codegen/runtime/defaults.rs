//! Client-level defaults of parameters that (nearly) every operation declares,
//! such as a workspace id: the generated `ClientBuilder` setters store them
//! here, already encoded, and each operation that declares the parameter
//! sends the default when the call sets no value of its own.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use super::builder::ClientBuilder;
use super::client::Client;
use super::encoding::{self, Style};
use super::request::{self, ApiRequest};

/// Where a defaulted parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamIn {
    Header,
    Query,
}

/// The encoded defaults, by the generator's index of the parameter.
#[derive(Clone, Default)]
pub(crate) struct ParamDefaults {
    values: Vec<Option<(&'static str, Encoded)>>,
    /// The first value that could not be encoded, reported by `build()`.
    problem: Option<String>,
}

#[derive(Clone)]
enum Encoded {
    Header(HeaderName, HeaderValue),
    Query(Vec<(String, String)>),
}

impl ParamDefaults {
    /// Problems found while storing defaults, for `ClientBuilder::build`.
    pub(crate) fn check(&self) -> Result<(), String> {
        self.problem.clone().map_or(Ok(()), Err)
    }

    fn get(&self, index: usize) -> Option<&Encoded> {
        self.values.get(index)?.as_ref().map(|(_, e)| e)
    }

    fn set<T: Serialize + ?Sized>(
        &mut self,
        index: usize,
        location: ParamIn,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<(), String> {
        let encoded = match location {
            ParamIn::Header => {
                let header = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("invalid header name `{name}`"))?;
                // A value that encodes to nothing (an empty list) sends nothing.
                match encoding::param_text(name, value, style, explode, encoding::verbatim)? {
                    Some(text) => {
                        // The value itself is not echoed: it may be a credential.
                        let mut value = HeaderValue::from_str(&text).map_err(|_| {
                            format!(
                                "default for header `{name}` contains characters not allowed in HTTP headers"
                            )
                        })?;
                        value.set_sensitive(request::is_sensitive_name(name));
                        Some(Encoded::Header(header, value))
                    }
                    None => None,
                }
            }
            ParamIn::Query => Some(Encoded::Query(encoding::query_pairs(
                name, value, style, explode,
            )?)),
        };
        if self.values.len() <= index {
            self.values.resize(index + 1, None);
        }
        self.values[index] = encoded.map(|e| (name, e));
        Ok(())
    }
}

impl fmt::Debug for ParamDefaults {
    /// Names only: a default may be a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.values.iter().flatten().map(|(name, _)| (name, "<set>")))
            .finish()
    }
}

impl ClientBuilder {
    /// Stores the default of generated parameter `index`; a value that cannot
    /// be sent makes `build()` fail.
    pub(crate) fn param_default<T: Serialize + ?Sized>(
        mut self,
        index: usize,
        location: ParamIn,
        name: &'static str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Self {
        let defaults = &mut self.param_defaults;
        if let Err(problem) = defaults.set(index, location, name, value, style, explode) {
            defaults.problem.get_or_insert(problem);
        }
        self
    }
}

impl ApiRequest {
    /// A header parameter the client may hold a default for: the call's
    /// value, else the client's default, else nothing.
    pub(crate) fn header_param_or_default<T: Serialize>(
        &mut self,
        client: &Client,
        index: usize,
        name: &'static str,
        value: &Option<T>,
        style: Style,
        explode: bool,
    ) {
        match value {
            Some(v) => self.header_param(name, v, style, explode),
            None => {
                if let Some(Encoded::Header(header, value)) = client.inner.param_defaults.get(index) {
                    self.headers.insert(header.clone(), value.clone());
                }
            }
        }
    }

    /// A query parameter the client may hold a default for: the call's value,
    /// else the client's default, else nothing.
    pub(crate) fn query_param_or_default<T: Serialize>(
        &mut self,
        client: &Client,
        index: usize,
        name: &str,
        value: &Option<T>,
        style: Style,
        explode: bool,
    ) {
        match value {
            Some(v) => self.query_param(name, v, style, explode),
            None => {
                if let Some(Encoded::Query(pairs)) = client.inner.param_defaults.get(index) {
                    self.query.extend(pairs.iter().cloned());
                }
            }
        }
    }
}
