//! 气象 — weather classes and the wind rose (风玫瑰图) of a site risk assessment.
//!
//! # Weather classes
//!
//! A weather class is a Pasquill stability class with a 10 m wind speed (the Purple Book
//! CPR 18E §4 set is B3, D1.5, D5, D9, E5, F1.5), a period (day or night: the population
//! present differs) and a probability P_w. The probabilities of all classes of one assessment
//! sum to 1 (a class that occurs by day and by night is given as two classes, e.g. `D5-day`
//! and `D5-night`). The Purple Book day fraction is 0.44 (08:00–18:30) and night 0.56; a
//! Chinese default weather set is not public (reference `qra-consequence.md` §6): the
//! weather set is always an input, from local long-term statistics (GB/T 37243 §6.2).
//!
//! # Wind rose and sector convention
//!
//! A wind rose gives, for n equal sectors (16 usual in China, 12 in the Purple Book), the
//! probability P_d|w that the wind blows **from** sector d. Sector k (k = 0 … n−1) is centred
//! on the bearing k·360°/n, measured **clockwise from north** (meteorological convention):
//! with 16 sectors, 22.5° wide, k = 0 is N (348.75°–11.25°), 4 is E, 8 is S, 12 is W.
//! A wind from bearing θ blows towards θ + 180°: the downwind unit vector in the site frame
//! (x = east, y = north) is (−sin θ, −cos θ). A wind from the south (k = 8) carries a plume
//! to the north (+y).
//!
//! The rose is either one list for all classes (`{"overall": [p0, …, p15]}`) or one list per
//! weather class id (`{"per_weather": {"D5-day": […], …}}`). Every list must sum to 1, and
//! the class probabilities too, within `probability_sum_tolerance` (default 1e-6,
//! **assumed**; widen it for tables rounded to 0.1 %); otherwise the input is refused with
//! a typed bilingual error ([`QraError::OutOfRange`] naming the list).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{QraError, check};
use crate::puff::Stability;

/// Default tolerance on "probabilities sum to 1" (**assumed**).
pub const DEFAULT_PROBABILITY_SUM_TOLERANCE: f64 = 1e-6;

/// Largest accepted number of wind sectors (**assumed** bound: one per degree).
pub const MAX_SECTORS: usize = 360;

/// Day or night (白天 / 夜间): selects the population present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// 白天.
    #[default]
    Day,
    /// 夜间.
    Night,
}

/// One weather class (气象类别).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeatherClass {
    /// Identifier, unique in the assessment (e.g. `"D5-day"`); footprints and the wind rose
    /// refer to it.
    pub id: String,
    /// Pasquill stability class `"A"`..`"F"` (information for the integrator's models).
    pub stability: Stability,
    /// Wind speed at 10 m, m/s (information for the integrator's models; 0 < u ≤ 100).
    pub wind_speed_m_s: f64,
    /// Probability of the class, 0 ≤ P_w ≤ 1; all classes sum to 1.
    pub probability: f64,
    /// Day or night (default day).
    #[serde(default)]
    pub period: Period,
}

/// Wind rose: P(wind from sector d | weather class), sector convention in the
/// [module documentation](self).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum WindRose {
    /// One rose for every weather class: n sector probabilities summing to 1.
    Overall(Vec<f64>),
    /// One rose per weather class id; every class must have one.
    PerWeather(BTreeMap<String, Vec<f64>>),
}

impl WindRose {
    /// A rose with the same probability 1/n in each of `n` sectors.
    pub fn uniform(n: usize) -> WindRose {
        let n = n.max(1);
        WindRose::Overall(vec![1.0 / n as f64; n])
    }

    /// A rose with all the wind from sector `k` of `n`.
    pub fn single_sector(k: usize, n: usize) -> WindRose {
        let n = n.max(1);
        let mut p = vec![0.0; n];
        if let Some(slot) = p.get_mut(k % n) {
            *slot = 1.0;
        }
        WindRose::Overall(p)
    }
}

/// Centre bearing of sector `k` of `n`, degrees clockwise from north (the wind blows FROM
/// there).
pub fn sector_centre_deg(k: usize, n: usize) -> f64 {
    let n = n.max(1);
    (k % n) as f64 * 360.0 / n as f64
}

/// Sector (of `n`) that contains the bearing `from_deg` (degrees clockwise from north,
/// any real value; sector k covers [centre − half width, centre + half width)).
pub fn sector_of_bearing(from_deg: f64, n: usize) -> usize {
    let n = n.max(1);
    if !from_deg.is_finite() {
        return 0;
    }
    let width = 360.0 / n as f64;
    let b = (from_deg + 0.5 * width).rem_euclid(360.0);
    ((b / width).floor() as usize) % n
}

/// Downwind unit vector (east, north) of a wind blowing FROM `from_deg` (clockwise from
/// north): (−sin θ, −cos θ).
pub fn downwind_unit(from_deg: f64) -> (f64, f64) {
    let t = from_deg.to_radians();
    (-t.sin(), -t.cos())
}

/// Validated meteorology: the classes, and per class its sector probabilities.
#[derive(Debug, Clone)]
pub(crate) struct Meteorology {
    pub classes: Vec<WeatherClass>,
    /// `roses[w]` = sector probabilities of class `w`.
    pub roses: Vec<Vec<f64>>,
}

fn check_sum(field: &'static str, values: &[f64], tolerance: f64) -> Result<(), QraError> {
    let sum: f64 = values.iter().sum();
    if (sum - 1.0).abs() > tolerance {
        return Err(QraError::OutOfRange {
            field,
            value: sum,
            expected: "probabilities summing to 1 (within probability_sum_tolerance)",
        });
    }
    Ok(())
}

fn check_rose(values: &[f64], tolerance: f64) -> Result<(), QraError> {
    if values.is_empty() || values.len() > MAX_SECTORS {
        return Err(QraError::OutOfRange {
            field: "wind_rose (number of sectors)",
            value: values.len() as f64,
            expected: "1 <= sectors <= 360",
        });
    }
    for &p in values {
        check(
            "wind_rose[] (sector probability)",
            p,
            "0 <= value <= 1",
            |v| (0.0..=1.0).contains(&v),
        )?;
    }
    check_sum("wind_rose (sum of sector probabilities)", values, tolerance)
}

/// Validates the weather classes and the wind rose: ids unique and non-empty, speeds
/// 0 < u ≤ 100 m/s (assumed bound), probabilities in [0, 1] summing to 1 within
/// `tolerance`, every class with a rose and no rose for an unknown class.
pub fn validate_meteorology(
    classes: &[WeatherClass],
    rose: &WindRose,
    tolerance: f64,
) -> Result<(), QraError> {
    meteorology(classes, rose, tolerance).map(|_| ())
}

pub(crate) fn meteorology(
    classes: &[WeatherClass],
    rose: &WindRose,
    tolerance: f64,
) -> Result<Meteorology, QraError> {
    let tolerance = check(
        "options.probability_sum_tolerance",
        tolerance,
        "0 <= value <= 0.1",
        |v| (0.0..=0.1).contains(&v),
    )?;
    if classes.is_empty() {
        return Err(QraError::OutOfRange {
            field: "weather (number of classes)",
            value: 0.0,
            expected: "at least 1 weather class",
        });
    }
    let mut probs = Vec::with_capacity(classes.len());
    for (i, c) in classes.iter().enumerate() {
        if c.id.is_empty() {
            return Err(invalid(
                "weather[].id must not be empty / weather[].id 不能为空",
            ));
        }
        if classes[..i].iter().any(|o| o.id == c.id) {
            return Err(invalid(&format!(
                "duplicate weather class id `{}` / 气象类别标识 `{}` 重复",
                c.id, c.id
            )));
        }
        check(
            "weather[].wind_speed_m_s",
            c.wind_speed_m_s,
            "0 < value <= 100",
            |v| v > 0.0 && v <= 100.0,
        )?;
        probs.push(check(
            "weather[].probability",
            c.probability,
            "0 <= value <= 1",
            |v| (0.0..=1.0).contains(&v),
        )?);
    }
    check_sum("weather[].probability (sum)", &probs, tolerance)?;
    let roses = match rose {
        WindRose::Overall(p) => {
            check_rose(p, tolerance)?;
            vec![p.clone(); classes.len()]
        }
        WindRose::PerWeather(map) => {
            for key in map.keys() {
                if !classes.iter().any(|c| &c.id == key) {
                    return Err(invalid(&format!(
                        "wind rose given for unknown weather class `{key}` / 风玫瑰图引用了未定义的气象类别 `{key}`"
                    )));
                }
            }
            let mut roses = Vec::with_capacity(classes.len());
            for c in classes {
                let Some(p) = map.get(&c.id) else {
                    return Err(invalid(&format!(
                        "no wind rose for weather class `{}` / 气象类别 `{}` 缺少风玫瑰图",
                        c.id, c.id
                    )));
                };
                check_rose(p, tolerance)?;
                roses.push(p.clone());
            }
            roses
        }
    };
    Ok(Meteorology {
        classes: classes.to_vec(),
        roses,
    })
}

pub(crate) fn invalid(message: &str) -> QraError {
    QraError::InvalidInput {
        model: "site_risk",
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_convention() {
        assert_eq!(sector_centre_deg(4, 16), 90.0);
        assert_eq!(sector_of_bearing(359.0, 16), 0);
        assert_eq!(sector_of_bearing(11.0, 16), 0);
        assert_eq!(sector_of_bearing(11.3, 16), 1);
        assert_eq!(sector_of_bearing(180.0, 16), 8);
        assert_eq!(sector_of_bearing(-90.0, 16), 12);
        // Wind from the south blows north.
        let (e, n) = downwind_unit(180.0);
        assert!(e.abs() < 1e-12 && (n - 1.0).abs() < 1e-12);
        // Wind from the west blows east.
        let (e, n) = downwind_unit(270.0);
        assert!((e - 1.0).abs() < 1e-12 && n.abs() < 1e-12);
    }
}
