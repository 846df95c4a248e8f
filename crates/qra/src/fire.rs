//! (placeholder; being written)

use crate::ModelEntry;

/// The models of this module, for [`crate::run_model`].
pub(crate) const MODELS: &[ModelEntry] = &[];
