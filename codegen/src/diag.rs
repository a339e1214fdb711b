//! Diagnostics: every message about a spec names the file and a JSON pointer into it.

use std::fmt;

/// Escapes one JSON pointer reference token (RFC 6901).
pub fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// Unescapes one JSON pointer reference token (RFC 6901).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends `token` (escaped) to the pointer `base`.
pub fn join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    push(&mut out, token);
    out
}

/// Appends `/` and `token` (escaped) to `pointer` in place: the walks over whole documents do
/// this for every key, and a new string per key was a good part of their time.
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    push_escaped(pointer, token);
}

fn push_escaped(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The spec file as the user named it (never made absolute, so output stays machine-independent).
    pub file: String,
    /// JSON pointer (RFC 6901), `""` for the document root.
    pub pointer: String,
    /// 1-based line and column of the pointed-to node, when the source text could be mapped.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    pub fn new(file: &str, pointer: impl Into<String>) -> Self {
        Location {
            file: file.to_owned(),
            pointer: pointer.into(),
            line_col: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.file, self.pointer)?;
        if let Some((line, col)) = self.line_col {
            write!(f, " (line {line}, column {col})")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// An approximation too common or too harmless to warn about (a dropped `maxLength`); only the
    /// "lost in translation" report (`cargo xtask gen --report`) lists notes.
    Note,
    Warning,
    Error,
}

/// What kind of approximation a diagnostic records: the generated code means less than the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Approx {
    /// `not` has no Rust type; the value is kept as JSON.
    IgnoredNot,
    /// Validation keywords (`pattern`, `maxLength`, `minimum`, ...) the types do not enforce.
    DroppedConstraint,
    /// A schema (or part of one) became `serde_json::Value`.
    JsonValue,
    /// Callbacks and webhooks: payload types only, no client method.
    SkippedCallback,
    /// Any other construct that was skipped or simplified.
    Simplified,
    /// A list operation that looks paginated but gets no paginator (ambiguous or incomplete).
    Pagination,
}

impl Approx {
    pub fn label(self) -> &'static str {
        match self {
            Approx::IgnoredNot => "ignored `not`",
            Approx::DroppedConstraint => "dropped constraint",
            Approx::JsonValue => "`serde_json::Value` fallback",
            Approx::SkippedCallback => "skipped callback",
            Approx::Simplified => "simplified",
            Approx::Pagination => "pagination not detected",
        }
    }
}

/// A warning (generation continues) or an error found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    /// Set when the diagnostic records an approximation (listed by `--report`).
    pub approx: Option<Approx>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.location, self.message)
    }
}

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{location}: not valid {format}: {message}")]
    Parse {
        location: Location,
        format: &'static str,
        message: String,
    },
    #[error("{location}: {message}")]
    Spec { location: Location, message: String },
    #[error("{} warning(s) denied by --deny-warnings; first: {}", .0.len(), .0.first().map(|d| d.to_string()).unwrap_or_default())]
    DeniedWarnings(Vec<Diagnostic>),
    #[error("internal error (please report it with the spec that caused it): {0}")]
    Internal(String),
}

impl Error {
    pub fn spec(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Spec {
            location: Location::new(file, pointer),
            message: message.into(),
        }
    }

    /// The location in the spec this error is about, if any.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Parse { location, .. } | Error::Spec { location, .. } => Some(location),
            _ => None,
        }
    }

    pub fn location_mut(&mut self) -> Option<&mut Location> {
        match self {
            Error::Parse { location, .. } | Error::Spec { location, .. } => Some(location),
            _ => None,
        }
    }
}

/// Collects warnings for one generation run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    file: String,
    items: Vec<Diagnostic>,
    notes: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: &str) -> Self {
        Diagnostics {
            file: file.to_owned(),
            items: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.items
            .push(self.diagnostic(Severity::Warning, None, pointer, message));
    }

    /// A warning that also records an approximation (listed by the report).
    pub fn approx(&mut self, kind: Approx, pointer: impl Into<String>, message: impl Into<String>) {
        self.items
            .push(self.diagnostic(Severity::Warning, Some(kind), pointer, message));
    }

    /// An approximation that is not worth a warning; only the report lists it.
    pub fn note(&mut self, kind: Approx, pointer: impl Into<String>, message: impl Into<String>) {
        self.notes
            .push(self.diagnostic(Severity::Note, Some(kind), pointer, message));
    }

    fn diagnostic(
        &self,
        severity: Severity,
        approx: Option<Approx>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            location: Location::new(&self.file, pointer),
            message: message.into(),
            approx,
        }
    }

    pub fn error(&self, pointer: impl Into<String>, message: impl Into<String>) -> Error {
        Error::spec(&self.file, pointer, message)
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Warnings and notes; notes once per place and message, in pointer order.
    pub fn into_parts(mut self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        // A schema can be lowered more than once (a component's properties again for every
        // `allOf` that includes it), and would note its constraints each time.
        self.notes.sort_unstable_by(|a, b| {
            (&a.location.pointer, &a.message, a.approx).cmp(&(&b.location.pointer, &b.message, b.approx))
        });
        self.notes.dedup();
        (self.items, self.notes)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
