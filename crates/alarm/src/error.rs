//! Typed errors, each with Chinese and English text.

/// A configuration that cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {en}")]
pub struct ConfigError {
    /// The offending field (`limits.HH.deadband`).
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl ConfigError {
    pub fn field(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ConfigError {
            field: field.to_string(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// An operator command that does not apply to the alarm as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown alarm {0}")]
    UnknownAlarm(String),
    #[error("{en}")]
    NotApplicable { zh: String, en: String },
}

impl CommandError {
    pub fn not_applicable(zh: impl Into<String>, en: impl Into<String>) -> Self {
        CommandError::NotApplicable {
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn zh(&self) -> String {
        match self {
            CommandError::UnknownAlarm(id) => format!("报警 {id} 不存在"),
            CommandError::NotApplicable { zh, .. } => zh.clone(),
        }
    }
}
