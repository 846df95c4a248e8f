//! 精确数 — exact numbers for the GB 18218 arithmetic.
//!
//! Every quantity, critical quantity Q, β and α is a finite decimal, but q/Q is not:
//! Table 1 has Q = 0.3 t (碳酰氯) and Q = 0.75 t (异氰酸甲酯), so ratios such as 1/3
//! appear. [`Exact`] is an arbitrary-precision rational, so S = Σ q/Q and
//! R = α Σ β q/Q are exact and the S ≥ 1 and R ≥ 10 / 50 / 100 decisions never suffer a
//! rounding error. Decimals are produced only for display, by truncation toward zero
//! (see [`Exact::to_f64_truncated`]).

use num::{BigInt, BigRational, Signed, Zero};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Mul};

/// Most characters accepted in one decimal literal (guards against absurd input).
const MAX_LITERAL_LEN: usize = 400;
/// Largest |exponent| accepted in a literal such as `1.5e3`.
const MAX_EXPONENT: i64 = 100;

/// Decimal places kept when an exact value is shown as a number (S, R, q/Q).
///
/// Values are truncated toward zero, never rounded: every threshold of the standard
/// (S = 1; R = 10, 50, 100) has fewer decimals than this, so a shown value is always on
/// the same side of a threshold as the exact value (an exact R of 99.9999999 shows as
/// 99.999999, never as 100).
pub const DISPLAY_DECIMALS: u32 = 6;

/// 精确有理数 — an exact rational number.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Exact(BigRational);

/// Why a text is not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a decimal number ({reason})")]
pub struct ExactParseError {
    /// The text that was given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Exact {
    /// 0
    pub fn zero() -> Self {
        Self(BigRational::zero())
    }

    /// 1
    pub fn one() -> Self {
        Self::from_integer(1)
    }

    /// An integer.
    pub fn from_integer(n: i64) -> Self {
        Self(BigRational::from_integer(BigInt::from(n)))
    }

    /// An unsigned integer (a head count, for example).
    pub fn from_u64(n: u64) -> Self {
        Self(BigRational::from_integer(BigInt::from(n)))
    }

    /// Parses a decimal literal such as `62.5`, `-3`, `0.75`, `1.5e3` exactly; also
    /// accepts the fraction form `n/d` that [`Exact`]'s `Display` writes for a
    /// non-terminating value (`10/3`).
    pub fn parse(text: &str) -> Result<Self, ExactParseError> {
        let s = text.trim();
        let err = |reason| ExactParseError {
            text: text.to_string(),
            reason,
        };
        if s.is_empty() {
            return Err(err("empty"));
        }
        if s.len() > MAX_LITERAL_LEN {
            return Err(err("too long"));
        }
        if let Some((n, d)) = s.split_once('/') {
            let n = parse_int(n.trim()).ok_or_else(|| err("bad numerator"))?;
            let d = parse_int(d.trim()).ok_or_else(|| err("bad denominator"))?;
            if d.is_zero() {
                return Err(err("zero denominator"));
            }
            return Ok(Self(BigRational::new(n, d)));
        }
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => {
                let e: i64 = body[i + 1..].parse().map_err(|_| err("bad exponent"))?;
                if e.abs() > MAX_EXPONENT {
                    return Err(err("exponent out of range"));
                }
                (&body[..i], e)
            }
            None => (body, 0),
        };
        let (int_part, frac_part) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(err("expected digits with an optional decimal point"));
        }
        if mantissa.ends_with('.') {
            return Err(err("no digits after the decimal point"));
        }
        let digits = format!("{int_part}{frac_part}");
        let mut numer: BigInt = digits.parse().map_err(|_| err("bad digits"))?;
        if negative {
            numer = -numer;
        }
        let scale = exponent - frac_part.len() as i64;
        let ten = BigInt::from(10);
        let value = if scale >= 0 {
            BigRational::from_integer(numer * pow(&ten, scale.unsigned_abs()))
        } else {
            BigRational::new(numer, pow(&ten, scale.unsigned_abs()))
        };
        Ok(Self(value))
    }

    /// True for a value below zero.
    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }

    /// True when the value has a finite decimal expansion (its reduced denominator has
    /// no prime factor other than 2 and 5).
    pub fn is_terminating(&self) -> bool {
        decimal_scale(self.0.denom()).is_some()
    }

    /// The exact decimal expansion, or `None` when it does not terminate (1/3).
    pub fn to_decimal_string(&self) -> Option<String> {
        let scale = decimal_scale(self.0.denom())?;
        let scaled = self.0.clone() * BigRational::from_integer(pow(&BigInt::from(10), scale));
        Some(format_scaled(&scaled.to_integer(), scale))
    }

    /// The value truncated toward zero to `places` decimals, trailing zeros removed
    /// (`4.2`, `10`, `3.333333`).
    pub fn to_truncated_string(&self, places: u32) -> String {
        let scaled =
            self.0.clone() * BigRational::from_integer(pow(&BigInt::from(10), places as u64));
        // `to_integer` truncates toward zero.
        format_scaled(&scaled.to_integer(), places as u64)
    }

    /// The value truncated toward zero to `places` decimals, as `f64` (for display and
    /// JSON; never used in a decision).
    pub fn to_f64_truncated(&self, places: u32) -> f64 {
        self.to_truncated_string(places).parse().unwrap_or(f64::NAN)
    }

    /// The nearest `f64` to a terminating value, else the value truncated to 15
    /// decimals (for showing table values and quantities, which are short decimals).
    pub fn to_f64(&self) -> f64 {
        match self.to_decimal_string() {
            Some(s) => s.parse().unwrap_or(f64::NAN),
            None => self.to_f64_truncated(15),
        }
    }

    /// Exact division; `None` when `rhs` is zero.
    pub fn checked_div(&self, rhs: &Exact) -> Option<Exact> {
        if rhs.0.is_zero() {
            None
        } else {
            Some(Exact(&self.0 / &rhs.0))
        }
    }

    /// Compares with an integer.
    pub fn cmp_integer(&self, n: i64) -> Ordering {
        self.0.cmp(&BigRational::from_integer(BigInt::from(n)))
    }
}

fn parse_int(s: &str) -> Option<BigInt> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn pow(base: &BigInt, exp: u64) -> BigInt {
    let mut out = BigInt::from(1);
    for _ in 0..exp {
        out *= base;
    }
    out
}

/// The number of decimals needed to write 1/denom exactly, if finite.
fn decimal_scale(denom: &BigInt) -> Option<u64> {
    let mut d = denom.clone();
    let (mut twos, mut fives) = (0u64, 0u64);
    let zero = BigInt::zero();
    while (&d % 2u32) == zero {
        d /= 2u32;
        twos += 1;
    }
    while (&d % 5u32) == zero {
        d /= 5u32;
        fives += 1;
    }
    (d == BigInt::from(1)).then_some(twos.max(fives))
}

/// Writes `scaled / 10^scale` as a decimal without trailing zeros.
fn format_scaled(scaled: &BigInt, scale: u64) -> String {
    let negative = scaled.is_negative();
    let digits = scaled.abs().to_string();
    let scale = scale as usize;
    let (int_part, frac_part) = if digits.len() > scale {
        let (i, f) = digits.split_at(digits.len() - scale);
        (i.to_string(), f.to_string())
    } else {
        ("0".to_string(), format!("{digits:0>scale$}"))
    };
    let frac = frac_part.trim_end_matches('0');
    let body = if frac.is_empty() {
        int_part
    } else {
        format!("{int_part}.{frac}")
    };
    if negative && body != "0" {
        format!("-{body}")
    } else {
        body
    }
}

impl fmt::Display for Exact {
    /// The exact decimal when it terminates (`4.2`), else the reduced fraction (`10/3`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_decimal_string() {
            Some(s) => f.write_str(&s),
            None => write!(f, "{}/{}", self.0.numer(), self.0.denom()),
        }
    }
}

impl Add for Exact {
    type Output = Exact;
    fn add(self, rhs: Exact) -> Exact {
        Exact(self.0 + rhs.0)
    }
}

impl<'a> Add<&'a Exact> for &'a Exact {
    type Output = Exact;
    fn add(self, rhs: &'a Exact) -> Exact {
        Exact(&self.0 + &rhs.0)
    }
}

impl Mul for Exact {
    type Output = Exact;
    fn mul(self, rhs: Exact) -> Exact {
        Exact(self.0 * rhs.0)
    }
}

impl<'a> Mul<&'a Exact> for &'a Exact {
    type Output = Exact;
    fn mul(self, rhs: &'a Exact) -> Exact {
        Exact(&self.0 * &rhs.0)
    }
}

impl std::iter::Sum for Exact {
    fn sum<I: Iterator<Item = Exact>>(iter: I) -> Exact {
        iter.fold(Exact::zero(), |a, b| a + b)
    }
}

impl Serialize for Exact {
    /// As a string: the exact decimal, or `n/d` when it does not terminate.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(QuantityVisitor)?.0 {
            Ok(x) => Ok(x),
            Err(raw) => Err(de::Error::custom(format!(
                "'{raw}' is not a decimal number"
            ))),
        }
    }
}

/// 数量 — a quantity in tonnes as given in the input, kept exact.
///
/// Deserializes from a JSON number or a decimal string. JSON numbers with up to 15
/// significant digits are read exactly (the shortest decimal that round-trips through
/// `f64` is re-parsed); give a string (`"0.1234567890123456789"`) for more. Text that
/// is not a finite number (`"NaN"`, `"abc"`) is kept as given so that the engine can
/// report it together with the unit and substance it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity(Result<Exact, String>);

impl Quantity {
    /// An exact quantity.
    pub fn new(value: Exact) -> Self {
        Self(Ok(value))
    }

    /// Parses a decimal literal; invalid text is kept and reported by the engine.
    pub fn parse(text: &str) -> Self {
        match Exact::parse(text) {
            Ok(x) => Self(Ok(x)),
            Err(_) => Self(Err(text.to_string())),
        }
    }

    /// From an `f64` through its shortest round-trip decimal (`0.1` stays 0.1); NaN and
    /// infinities are kept as invalid and reported by the engine.
    pub fn from_f64(v: f64) -> Self {
        if v.is_finite() {
            Self::parse(&format!("{v}"))
        } else {
            Self(Err(format!("{v}")))
        }
    }

    /// The exact value, or the invalid text that was given.
    pub fn value(&self) -> Result<&Exact, &str> {
        self.0.as_ref().map_err(String::as_str)
    }
}

impl From<Exact> for Quantity {
    fn from(value: Exact) -> Self {
        Self::new(value)
    }
}

impl Serialize for Quantity {
    /// As a JSON number (a valid quantity) or as the text that was given (an invalid one).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(x) => s.serialize_f64(x.to_f64()),
            Err(raw) => s.serialize_str(raw),
        }
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(QuantityVisitor)
    }
}

struct QuantityVisitor;

impl Visitor<'_> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a decimal string")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Ok(Quantity::new(Exact::from_u64(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        Ok(Quantity::new(Exact::from_integer(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        Ok(Quantity::from_f64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
        Ok(Quantity::parse(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(s: &str) -> Exact {
        Exact::parse(s).unwrap()
    }

    #[test]
    fn decimal_literals_parse_exactly() {
        assert_eq!(x("0.4") + x("0.5") + x("0.1"), Exact::one());
        assert_eq!(x("62.5").to_string(), "62.5");
        assert_eq!(x("-3").to_string(), "-3");
        assert_eq!(x("1.5e3").to_string(), "1500");
        assert_eq!(x("25E-1").to_string(), "2.5");
        assert_eq!(x("0.000"), Exact::zero());
        assert_eq!(x("10/3").to_string(), "10/3");
        for bad in [
            "", ".5", "5.", "1,5", "NaN", "inf", "1e999", "--1", "1/0", "0x10",
        ] {
            assert!(Exact::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_values_are_truncated_toward_zero() {
        let third = x("1").checked_div(&x("3")).unwrap();
        assert_eq!(third.to_truncated_string(6), "0.333333");
        assert_eq!(x("99.99999999").to_truncated_string(6), "99.999999");
        assert_eq!(x("4.2").to_f64_truncated(6), 4.2);
        assert_eq!(x("0.0000001").to_truncated_string(6), "0");
        assert!(!third.is_terminating());
        assert_eq!(third.to_decimal_string(), None);
    }

    #[test]
    fn quantities_from_json_numbers_keep_their_decimal_value() {
        let q: Quantity = serde_json::from_str("0.1").unwrap();
        assert_eq!(q.value(), Ok(&x("0.1")));
        let q: Quantity = serde_json::from_str("\"0.30000000000000000001\"").unwrap();
        assert_eq!(q.value(), Ok(&x("0.30000000000000000001")));
        let q: Quantity = serde_json::from_str("\"NaN\"").unwrap();
        assert_eq!(q.value(), Err("NaN"));
        assert_eq!(Quantity::from_f64(f64::NAN).value(), Err("NaN"));
        assert!(serde_json::from_str::<Quantity>("true").is_err());
    }
}
