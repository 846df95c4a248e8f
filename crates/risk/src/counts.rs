//! 风险汇总 — roll-up of risk levels: how many installations (or enterprises, parks)
//! are red, orange, yellow and blue, for a park or a region.

use serde::{Deserialize, Serialize};
use weihua_core::RiskLevel;

/// 四色统计 — counts of red / orange / yellow / blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ColourCounts {
    /// 红 — 重大风险
    pub red: u32,
    /// 橙 — 较大风险
    pub orange: u32,
    /// 黄 — 一般风险
    pub yellow: u32,
    /// 蓝 — 低风险
    pub blue: u32,
}

impl ColourCounts {
    /// Count one more item at `level` (saturating).
    pub fn add(&mut self, level: RiskLevel) {
        let slot = match level {
            RiskLevel::Red => &mut self.red,
            RiskLevel::Orange => &mut self.orange,
            RiskLevel::Yellow => &mut self.yellow,
            RiskLevel::Blue => &mut self.blue,
        };
        *slot = slot.saturating_add(1);
    }

    /// Counts of a sequence of levels.
    pub fn from_levels<I: IntoIterator<Item = RiskLevel>>(levels: I) -> Self {
        let mut c = Self::default();
        for l in levels {
            c.add(l);
        }
        c
    }

    /// Add another roll-up (e.g. a park's into its county's), saturating.
    pub fn merge(&mut self, other: &ColourCounts) {
        self.red = self.red.saturating_add(other.red);
        self.orange = self.orange.saturating_add(other.orange);
        self.yellow = self.yellow.saturating_add(other.yellow);
        self.blue = self.blue.saturating_add(other.blue);
    }

    /// How many at `level`.
    pub fn get(&self, level: RiskLevel) -> u32 {
        match level {
            RiskLevel::Red => self.red,
            RiskLevel::Orange => self.orange,
            RiskLevel::Yellow => self.yellow,
            RiskLevel::Blue => self.blue,
        }
    }

    /// 合计 — all items counted (u64, so it cannot overflow).
    pub fn total(&self) -> u64 {
        u64::from(self.red) + u64::from(self.orange) + u64::from(self.yellow) + u64::from(self.blue)
    }

    /// 最高等级 — the most severe level present; `None` when nothing is counted.
    pub fn worst(&self) -> Option<RiskLevel> {
        [
            RiskLevel::Red,
            RiskLevel::Orange,
            RiskLevel::Yellow,
            RiskLevel::Blue,
        ]
        .into_iter()
        .find(|l| self.get(*l) > 0)
    }
}

impl FromIterator<RiskLevel> for ColourCounts {
    fn from_iter<I: IntoIterator<Item = RiskLevel>>(iter: I) -> Self {
        Self::from_levels(iter)
    }
}

impl Extend<RiskLevel> for ColourCounts {
    fn extend<I: IntoIterator<Item = RiskLevel>>(&mut self, iter: I) {
        for l in iter {
            self.add(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_and_worst() {
        let mut c =
            ColourCounts::from_levels([RiskLevel::Blue, RiskLevel::Yellow, RiskLevel::Blue]);
        assert_eq!(
            c,
            ColourCounts {
                red: 0,
                orange: 0,
                yellow: 1,
                blue: 2
            }
        );
        assert_eq!(c.worst(), Some(RiskLevel::Yellow));
        c.add(RiskLevel::Red);
        assert_eq!(c.worst(), Some(RiskLevel::Red));
        assert_eq!(c.total(), 4);
        assert_eq!(ColourCounts::default().worst(), None);
        let only_blue: ColourCounts = [RiskLevel::Blue].into_iter().collect();
        assert_eq!(only_blue.worst(), Some(RiskLevel::Blue));
    }

    #[test]
    fn merge_adds_and_saturates() {
        let mut a = ColourCounts {
            red: 1,
            orange: 2,
            yellow: 3,
            blue: u32::MAX,
        };
        a.merge(&ColourCounts {
            red: 10,
            orange: 0,
            yellow: 1,
            blue: 5,
        });
        assert_eq!((a.red, a.orange, a.yellow, a.blue), (11, 2, 4, u32::MAX));
    }

    #[test]
    fn serde_shape_is_four_named_counts() {
        let c = ColourCounts::from_levels([RiskLevel::Orange]);
        let json = serde_json::to_string(&c).unwrap_or_default();
        assert_eq!(json, r#"{"red":0,"orange":1,"yellow":0,"blue":0}"#);
        let back: ColourCounts = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, c);
        assert!(serde_json::from_str::<ColourCounts>(r#"{"red":1,"green":2}"#).is_err());
    }

    fn level() -> impl Strategy<Value = RiskLevel> {
        prop_oneof![
            Just(RiskLevel::Red),
            Just(RiskLevel::Orange),
            Just(RiskLevel::Yellow),
            Just(RiskLevel::Blue),
        ]
    }

    proptest! {
        #[test]
        fn merge_of_parts_equals_counts_of_whole(
            a in prop::collection::vec(level(), 0..50),
            b in prop::collection::vec(level(), 0..50),
        ) {
            let mut merged = ColourCounts::from_levels(a.iter().copied());
            merged.merge(&ColourCounts::from_levels(b.iter().copied()));
            let whole = ColourCounts::from_levels(a.iter().chain(b.iter()).copied());
            prop_assert_eq!(merged, whole);
            prop_assert_eq!(whole.total(), (a.len() + b.len()) as u64);
            prop_assert_eq!(whole.worst(), a.iter().chain(b.iter()).copied().min());
        }
    }
}
