//! Typed, bilingual (English / 中文) errors of the consequence models.

/// Every way a consequence model can refuse its input or its result.
///
/// Messages are bilingual: English first, then Chinese, separated by ` / `.
/// Fields name the offending input exactly as it is spelled in the serde input struct.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QraError {
    /// An input is NaN or infinite.
    #[error(
        "input `{field}` must be a finite number, got {value} / 输入 `{field}` 必须是有限数值，实际为 {value}"
    )]
    NotFinite {
        /// Input field name.
        field: &'static str,
        /// The value received.
        value: f64,
    },
    /// An input is finite but outside the accepted range of the model.
    #[error(
        "input `{field}` = {value} is out of range, expected {expected} / 输入 `{field}` = {value} 超出允许范围，应满足 {expected}"
    )]
    OutOfRange {
        /// Input field name.
        field: &'static str,
        /// The value received.
        value: f64,
        /// The accepted range, as a language-neutral expression (e.g. `0 < value <= 1`).
        expected: &'static str,
    },
    /// A derived quantity (e.g. the scaled distance) lies outside the validity range of the fit.
    #[error(
        "{quantity} = {value} is outside the validity range [{min}, {max}] of model `{model}`; change the inputs / {quantity} = {value} 超出模型 `{model}` 的适用范围 [{min}, {max}]，请调整输入"
    )]
    OutsideValidity {
        /// Model name as in [`crate::models`].
        model: &'static str,
        /// The derived quantity with its unit, e.g. `scaled distance Z (m/kg^(1/3))`.
        quantity: &'static str,
        /// Its value.
        value: f64,
        /// Lower end of the validity range (inclusive).
        min: f64,
        /// Upper end of the validity range (inclusive).
        max: f64,
    },
    /// A Pasquill stability class other than `A`..`F`.
    #[error(
        "unknown Pasquill stability class `{value}`, expected one of A, B, C, D, E, F / 未知的帕斯奎尔稳定度等级 `{value}`，应为 A、B、C、D、E、F 之一"
    )]
    UnknownStability {
        /// The text received.
        value: String,
    },
    /// [`crate::run_model`] was asked for a model that is not in [`crate::models`].
    #[error(
        "unknown consequence model `{name}`; known models: {known} / 未知的后果模型 `{name}`；可用模型：{known}"
    )]
    UnknownModel {
        /// The name received.
        name: String,
        /// Comma-separated list of known model names.
        known: String,
    },
    /// The JSON input of [`crate::run_model`] does not match the model's input struct.
    #[error("invalid input for model `{model}`: {message} / 模型 `{model}` 的输入无效：{message}")]
    InvalidInput {
        /// Model name.
        model: &'static str,
        /// The decoder's message (names the missing, unknown or mistyped field).
        message: String,
    },
    /// The inputs were accepted but the result overflowed or is otherwise not finite.
    #[error(
        "model `{model}` produced a non-finite `{quantity}`; the inputs are too extreme / 模型 `{model}` 计算得到的 `{quantity}` 不是有限数值，输入过于极端"
    )]
    NonFiniteResult {
        /// Model name.
        model: &'static str,
        /// Output field name.
        quantity: &'static str,
    },
}

/// Refuses a non-finite value, or one not accepted by `ok`, naming the field.
pub(crate) fn check(
    field: &'static str,
    value: f64,
    expected: &'static str,
    ok: impl Fn(f64) -> bool,
) -> Result<f64, QraError> {
    if !value.is_finite() {
        return Err(QraError::NotFinite { field, value });
    }
    if !ok(value) {
        return Err(QraError::OutOfRange {
            field,
            value,
            expected,
        });
    }
    Ok(value)
}

/// Refuses a non-finite result, naming the output field.
pub(crate) fn finite_result(
    model: &'static str,
    quantity: &'static str,
    value: f64,
) -> Result<f64, QraError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(QraError::NonFiniteResult { model, quantity })
    }
}

impl QraError {
    /// The input field at fault, where one is (as spelled in the input struct).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            QraError::NotFinite { field, .. } | QraError::OutOfRange { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The English half of the message.
    pub fn message_en(&self) -> String {
        let text = self.to_string();
        match text.rsplit_once(" / ") {
            Some((en, _)) => en.to_owned(),
            None => text,
        }
    }

    /// The Chinese half of the message.
    pub fn message_zh(&self) -> String {
        let text = self.to_string();
        match text.rsplit_once(" / ") {
            Some((_, zh)) => zh.to_owned(),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_split_into_their_two_languages() {
        let e = QraError::OutOfRange {
            field: "mass_kg",
            value: -1.0,
            expected: "0 < value <= 1e9",
        };
        assert_eq!(e.field(), Some("mass_kg"));
        assert!(e.message_en().starts_with("input `mass_kg` = -1"));
        assert!(!e.message_en().contains('输'));
        assert!(e.message_zh().starts_with("输入 `mass_kg`"));
        let u = QraError::UnknownModel {
            name: "x".into(),
            known: "a, b".into(),
        };
        assert_eq!(u.field(), None);
        assert!(u.message_zh().contains("未知的后果模型"));
        assert!(u.message_en().contains("unknown consequence model"));
    }
}
