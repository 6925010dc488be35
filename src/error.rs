//! The core's error type. The binding layer maps each variant to one Python exception.

/// What can go wrong in the core.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// A caller passed an argument that is out of range or inconsistent (-> `ValueError`).
    #[error("{0}")]
    InvalidArgument(String),
    /// Input data is malformed; the message names the file, line or record (-> `InputError`).
    #[error("{0}")]
    Input(String),
    /// Fitting found no term at all (-> `EmptyVocabularyError`, a `ValueError` as in
    /// scikit-learn).
    #[error("empty vocabulary; perhaps the documents only contain stop words")]
    EmptyVocabulary,
    /// A buffer sized by the input could not be allocated (-> `MemoryError`).
    #[error("{0}")]
    OutOfMemory(String),
    /// The work was cancelled by the caller (-> `KeyboardInterrupt` in Python).
    #[error("interrupted")]
    Interrupted,
}

/// Result with [`CoreError`].
pub type Result<T> = std::result::Result<T, CoreError>;

/// Shorthand for an [`CoreError::InvalidArgument`].
pub(crate) fn invalid(msg: impl Into<String>) -> CoreError {
    CoreError::InvalidArgument(msg.into())
}
