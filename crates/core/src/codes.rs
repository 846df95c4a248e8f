//! Validated codes used at every boundary: parse, don't validate.
//!
//! Each newtype can only be built through `parse`, so a value of the type is
//! always well-formed. Errors say in Chinese and English what is wrong.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Why a code did not parse. Carries a bilingual reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{en}")]
pub struct CodeError {
    /// 中文说明
    pub zh: String,
    /// English explanation
    pub en: String,
}

impl CodeError {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

macro_rules! string_newtype_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s)
                    .map_err(|e| serde::de::Error::custom(format!("{} / {}", e.zh, e.en)))
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(<$t>::DESCRIPTION))
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $t {}
        impl std::str::FromStr for $t {
            type Err = CodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$t>::parse(s)
            }
        }
    };
}

/// 统一社会信用代码 — unified social credit code (GB 32100-2015): 18 characters,
/// the last one a check character computed modulo 31.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

/// The 31 characters GB 32100 allows (no I, O, Z, S, V), in value order.
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Position weights 3^(i) mod 31 for the first 17 characters (GB 32100 §5).
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_ALPHABET.find(c).map(|i| i as u32)
}

impl CreditCode {
    /// Shown in the API schema.
    pub const DESCRIPTION: &str = "统一社会信用代码 — unified social credit code, 18 characters with a GB 32100 check character";

    /// Parse an 18-character code; lower case is accepted and upper-cased.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(CodeError::new(
                format!("统一社会信用代码应为18位，实为{}位", chars.len()),
                format!(
                    "a unified social credit code has 18 characters, got {}",
                    chars.len()
                ),
            ));
        }
        let mut values = [0u32; 18];
        for (i, c) in chars.iter().enumerate() {
            values[i] = credit_value(*c).ok_or_else(|| {
                CodeError::new(
                    format!("第{}位字符“{}”不允许（不得使用I、O、Z、S、V）", i + 1, c),
                    format!(
                        "character {} '{}' is not allowed (I, O, Z, S, V are never used)",
                        i + 1,
                        c
                    ),
                )
            })?;
        }
        if !chars[2..8].iter().all(|c| c.is_ascii_digit()) {
            return Err(CodeError::new(
                "第3至8位应为行政区划代码（数字）",
                "characters 3 to 8 must be the administrative division code (digits)",
            ));
        }
        let sum: u32 = values[..17]
            .iter()
            .zip(CREDIT_WEIGHTS)
            .map(|(v, w)| v * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            let expected = CREDIT_ALPHABET.chars().nth(check as usize).unwrap_or('?');
            return Err(CodeError::new(
                format!("校验码错误：第18位应为“{expected}”"),
                format!("check character is wrong: the 18th character should be '{expected}'"),
            ));
        }
        Ok(Self(s))
    }

    /// Build a valid code from its first 17 characters by appending the check character.
    /// Used by the demo generator and tests.
    pub fn with_check(first17: &str) -> Result<Self, CodeError> {
        let chars: Vec<char> = first17.chars().collect();
        if chars.len() != 17 {
            return Err(CodeError::new(
                "应提供前17位",
                "give the first 17 characters",
            ));
        }
        let mut sum = 0;
        for (c, w) in chars.iter().zip(CREDIT_WEIGHTS) {
            let v = credit_value(*c)
                .ok_or_else(|| CodeError::new("含非法字符", "contains a character not allowed"))?;
            sum += v * w;
        }
        let check = (31 - sum % 31) % 31;
        let check_char = CREDIT_ALPHABET.chars().nth(check as usize).unwrap_or('0');
        Self::parse(&format!("{first17}{check_char}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The administrative division code embedded at characters 3–8.
    pub fn region_digits(&self) -> &str {
        &self.0[2..8]
    }
}
string_newtype_serde!(CreditCode);

/// CAS Registry Number — 2–7 digits, 2 digits, 1 check digit (`7664-41-7`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CasNumber(String);

impl CasNumber {
    /// Shown in the API schema.
    pub const DESCRIPTION: &str = "CAS号 — CAS registry number NNNNNNN-NN-N with its check digit";

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let shape_err = || {
            CodeError::new(
                format!("CAS号“{s}”格式应为 NNNNNNN-NN-N"),
                format!("CAS number '{s}' must look like NNNNNNN-NN-N"),
            )
        };
        if parts.len() != 3 {
            return Err(shape_err());
        }
        let (a, b, c) = (parts[0], parts[1], parts[2]);
        let digits = |p: &str| p.chars().all(|ch| ch.is_ascii_digit());
        if !(2..=7).contains(&a.len())
            || b.len() != 2
            || c.len() != 1
            || !digits(a)
            || !digits(b)
            || !digits(c)
        {
            return Err(shape_err());
        }
        let body: Vec<u32> = a
            .chars()
            .chain(b.chars())
            .filter_map(|ch| ch.to_digit(10))
            .collect();
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| (i as u32 + 1) * d)
            .sum();
        let check = c
            .chars()
            .next()
            .and_then(|ch| ch.to_digit(10))
            .unwrap_or(10);
        if sum % 10 != check {
            return Err(CodeError::new(
                format!("CAS号“{s}”校验位错误，应为{}", sum % 10),
                format!(
                    "CAS number '{s}' has a wrong check digit; expected {}",
                    sum % 10
                ),
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_newtype_serde!(CasNumber);

/// 行政区划代码 — administrative division code (GB/T 2260): six digits,
/// `PPCCDD` = province, city, county.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

/// Level of a region in the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级
    Province,
    /// 市级
    City,
    /// 县级
    County,
}

/// First two digits that GB/T 2260 assigns to provincial-level divisions.
const PROVINCE_PREFIXES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

impl RegionCode {
    /// Shown in the API schema.
    pub const DESCRIPTION: &str = "行政区划代码 — 6-digit GB/T 2260 administrative division code";

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        if s.len() != 6 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(CodeError::new(
                format!("行政区划代码“{s}”应为6位数字"),
                format!("administrative division code '{s}' must be 6 digits"),
            ));
        }
        let prov: u8 = s[..2].parse().unwrap_or(0);
        if !PROVINCE_PREFIXES.contains(&prov) {
            return Err(CodeError::new(
                format!("行政区划代码“{s}”的省级代码{prov:02}不存在"),
                format!(
                    "administrative division code '{s}': province code {prov:02} does not exist"
                ),
            ));
        }
        if &s[2..4] == "00" && &s[4..6] != "00" {
            return Err(CodeError::new(
                format!("行政区划代码“{s}”：县级代码不能直属于省级“00”市级位"),
                format!("administrative division code '{s}': a county needs a city part, not 00"),
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        if &self.0[2..] == "0000" {
            RegionLevel::Province
        } else if &self.0[4..] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The prefix that every code inside this region starts with
    /// (2 digits for a province, 4 for a city, 6 for a county).
    pub fn prefix(&self) -> &str {
        match self.level() {
            RegionLevel::Province => &self.0[..2],
            RegionLevel::City => &self.0[..4],
            RegionLevel::County => &self.0[..6],
        }
    }

    /// The enclosing region one level up, if any.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::City => Some(RegionCode(format!("{}0000", &self.0[..2]))),
            RegionLevel::County => Some(RegionCode(format!("{}00", &self.0[..4]))),
        }
    }

    /// Whether `other` lies inside (or is) this region.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.prefix())
    }
}
string_newtype_serde!(RegionCode);

/// 位号 — the tag of an instrument / monitoring point (`LT-1101A`).
///
/// ASCII letters, digits and `- _ . :`; 1–64 characters. `/`, `?`, `#`, `%`
/// and spaces are refused because a tag appears in URLs and topic names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    /// Shown in the API schema.
    pub const DESCRIPTION: &str = "位号 — point tag: 1–64 ASCII letters, digits and - _ . :";

    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        if s.is_empty() || s.len() > 64 {
            return Err(CodeError::new(
                "位号长度应为1至64个字符",
                "a tag must have 1 to 64 characters",
            ));
        }
        if let Some(bad) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        {
            return Err(CodeError::new(
                format!("位号“{s}”含不允许的字符“{bad}”（只允许字母、数字和 - _ . :）"),
                format!("tag '{s}' contains '{bad}'; only letters, digits and - _ . : are allowed"),
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_newtype_serde!(Tag);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn gb32100_known_valid_codes_pass() {
        // Codes as printed on public business licences.
        for code in ["91350100M000100Y43", "91110000600037341L"] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn gb32100_wrong_check_character_is_rejected_with_the_expected_one() {
        let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert!(err.en.contains("'3'"), "{}", err.en);
        assert!(err.zh.contains("校验码"));
    }

    #[test]
    fn gb32100_forbidden_letters_and_length() {
        assert!(CreditCode::parse("91350100M000100Y4").is_err());
        let e = CreditCode::parse("91350100M0001O0Y43").unwrap_err();
        assert!(e.en.contains("'O'"));
        assert!(CreditCode::parse("9135A100M000100Y43").is_err());
    }

    #[test]
    fn gb32100_lower_case_is_normalised() {
        let c = CreditCode::parse("91350100m000100y43").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        assert_eq!(c.region_digits(), "350100");
    }

    #[test]
    fn cas_check_digit() {
        for ok in [
            "7664-41-7",
            "7782-50-5",
            "74-98-6",
            "67-56-1",
            "71-43-2",
            "1333-74-0",
        ] {
            assert!(CasNumber::parse(ok).is_ok(), "{ok}");
        }
        assert!(CasNumber::parse("7664-41-8").is_err());
        assert!(CasNumber::parse("7664-4-17").is_err());
        assert!(CasNumber::parse("7664417").is_err());
        assert!(CasNumber::parse("1-41-7").is_err());
    }

    #[test]
    fn region_levels_and_containment() {
        let p = RegionCode::parse("320000").unwrap();
        let c = RegionCode::parse("320500").unwrap();
        let k = RegionCode::parse("320582").unwrap();
        assert_eq!(p.level(), RegionLevel::Province);
        assert_eq!(c.level(), RegionLevel::City);
        assert_eq!(k.level(), RegionLevel::County);
        assert!(p.contains(&k) && c.contains(&k) && k.contains(&k));
        assert!(!k.contains(&c));
        assert!(!RegionCode::parse("330000").unwrap().contains(&k));
        assert_eq!(k.parent(), Some(c.clone()));
        assert_eq!(c.parent(), Some(p));
        assert!(RegionCode::parse("990000").is_err());
        assert!(RegionCode::parse("32000").is_err());
        assert!(RegionCode::parse("320001").is_err());
    }

    #[test]
    fn tags() {
        assert!(Tag::parse("LT-1101A").is_ok());
        assert!(Tag::parse("E01.TI_101:PV").is_ok());
        assert!(Tag::parse("").is_err());
        assert!(Tag::parse("LT 1101").is_err());
        assert!(Tag::parse("LT/1101").is_err());
        assert!(Tag::parse(&"A".repeat(65)).is_err());
    }

    #[test]
    fn serde_round_trip_and_rejection() {
        let c: CreditCode = serde_json::from_str("\"91350100M000100Y43\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"91350100M000100Y43\"");
        let e = serde_json::from_str::<CasNumber>("\"7664-41-8\"").unwrap_err();
        assert!(e.to_string().contains("check digit"));
    }

    proptest! {
        #[test]
        fn credit_code_with_check_always_parses(body in "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{9}") {
            let c = CreditCode::with_check(&body).unwrap();
            prop_assert_eq!(&c.as_str()[..17], body.as_str());
        }

        #[test]
        fn credit_code_single_substitution_is_caught(body in "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{9}", pos in 0usize..17, delta in 1u32..31) {
            let good = CreditCode::with_check(&body).unwrap();
            let mut chars: Vec<char> = good.as_str().chars().collect();
            let v = credit_value(chars[pos]).unwrap();
            chars[pos] = CREDIT_ALPHABET.chars().nth(((v + delta) % 31) as usize).unwrap();
            let bad: String = chars.into_iter().collect();
            // Any single-character change is detected (31 is prime and no weight is 0 mod 31),
            // unless it breaks the digit rule first; either way it is rejected.
            prop_assert!(CreditCode::parse(&bad).is_err());
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = CreditCode::parse(&s);
            let _ = CasNumber::parse(&s);
            let _ = RegionCode::parse(&s);
            let _ = Tag::parse(&s);
        }
    }
}
