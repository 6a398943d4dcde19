use crate::EdtfError;

/// What is wrong with a domain value; each variant names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A required field is absent or empty.
    #[error("field `{field}` is required")]
    Missing {
        /// The field's name.
        field: &'static str,
    },
    /// A field holds a value outside its vocabulary or shape.
    #[error("field `{field}`: {message}")]
    Invalid {
        /// The field's name.
        field: &'static str,
        /// What is wrong, in words a user can act on.
        message: String,
    },
    /// A date field holds an invalid EDTF value.
    #[error("field `{field}`: {source}")]
    Date {
        /// The field's name.
        field: &'static str,
        /// Why the EDTF value is invalid.
        source: EdtfError,
    },
}

impl ModelError {
    /// Shorthand for [`ModelError::Invalid`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ModelError::Invalid { field, message: message.into() }
    }

    /// The field this error is about.
    pub fn field(&self) -> &'static str {
        match self {
            ModelError::Missing { field }
            | ModelError::Invalid { field, .. }
            | ModelError::Date { field, .. } => field,
        }
    }
}
