//! Files sent in `multipart/form-data` bodies.

use std::fmt;

use bytes::Bytes;

/// A file sent as one part of a `multipart/form-data` body: its bytes, the
/// file name and the content type of the part (RFC 7578).
///
/// Binary properties of multipart request bodies have this type (a list of
/// files is a `Vec<FilePart>`, each with its own name and type). A part sent
/// without a file name carries the property's name as its file name (servers
/// such as Starlette and Multer treat only parts with a file name as files);
/// without a content type, the one the API description declares for the
/// property, else `application/octet-stream`.
///
/// ```
/// use modbox::FilePart;
///
/// let logo = FilePart::new(b"\x89PNG...".to_vec())
///     .file_name("logo.png")
///     .content_type("image/png");
/// assert_eq!(logo.data(), b"\x89PNG...");
/// assert_eq!(logo.get_file_name(), Some("logo.png"));
///
/// // Plain bytes convert, and keep the defaults.
/// let notes: FilePart = b"plain text".into();
/// assert_eq!(notes.get_content_type(), None);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file with these bytes (a `Vec<u8>`, `&'static [u8]`, `String`,
    /// [`bytes::Bytes`], ...), no file name and no content type yet.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the `filename` sent in the part's `Content-Disposition`.
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type` (e.g. `image/png`), replacing the
    /// default the API description gives.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The file name set with [`FilePart::file_name`].
    pub fn get_file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type set with [`FilePart::content_type`].
    pub fn get_content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The part to send: the default file name and content type filled in.
    pub(crate) fn to_part(&self, name: &str, content_type: &str) -> super::Part {
        super::Part::bytes(self.data.clone())
            .file_name(self.file_name.as_deref().unwrap_or(name))
            .content_type(self.content_type.as_deref().unwrap_or(content_type))
    }
}

/// Shows the size, not the content.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(data: Vec<u8>) -> Self {
        Self::new(data)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(data: &'static [u8]) -> Self {
        Self::new(data)
    }
}

impl<const N: usize> From<&'static [u8; N]> for FilePart {
    fn from(data: &'static [u8; N]) -> Self {
        Self::new(&data[..])
    }
}

impl From<Bytes> for FilePart {
    fn from(data: Bytes) -> Self {
        Self::new(data)
    }
}

impl From<String> for FilePart {
    fn from(data: String) -> Self {
        Self::new(data)
    }
}

/// The bytes only, like a `Vec<u8>` (for types that implement `Serialize`
/// with the `serde-all` feature; multipart bodies never go through it).
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.data.iter())
    }
}

/// From the bytes, like a `Vec<u8>`.
impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Self::new)
    }
}

/// The Rust types of binary properties in multipart bodies: each file is
/// sent as its own part.
pub(crate) trait FileValue {
    /// Appends one part per file; `name` is the property, `content_type` the
    /// default type.
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>);
}

impl FileValue for FilePart {
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>) {
        out.push(self.to_part(name, content_type));
    }
}

/// A schema shared with non-multipart uses keeps `Vec<u8>`: sent with the
/// default file name and content type.
impl FileValue for Vec<u8> {
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>) {
        out.push(
            super::Part::bytes(self.clone())
                .file_name(name)
                .content_type(content_type),
        );
    }
}

impl<T: FileValue> FileValue for Vec<T> {
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>) {
        for file in self {
            file.push_parts(name, content_type, out);
        }
    }
}

impl<T: FileValue> FileValue for Option<T> {
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>) {
        if let Some(file) = self {
            file.push_parts(name, content_type, out);
        }
    }
}

impl<T: FileValue> FileValue for Box<T> {
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>) {
        (**self).push_parts(name, content_type, out);
    }
}

impl<T: FileValue> FileValue for super::Nullable<T> {
    fn push_parts(&self, name: &str, content_type: &str, out: &mut Vec<super::Part>) {
        if let Some(file) = self.value() {
            file.push_parts(name, content_type, out);
        }
    }
}
