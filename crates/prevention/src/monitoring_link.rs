//! 管控措施失效联动 — a control measure checked by automated monitoring (`DATA_SRC` 1,
//! 自动化监控) fails when one of its monitoring points has an alarm that has stayed active
//! for longer than a grace period (default 30 min, assumed). A failed measure yields a
//! proposed hidden danger with `DANGER_SRC` 9 (管控措施失效).
//!
//! Which alarms count (limit alarms, interruption, bad quality) is the caller's choice:
//! pass the open alarms of the measure's points. The caller also avoids proposing a
//! second danger while one for the same `RISK_MEASURE_ID` is open.

use crate::codes::{
    DangerSrc, DataSrc, HazardDangerType, ManagementClassification, OccurrenceLink,
};
use serde::{Deserialize, Serialize};

/// Default grace: 30 minutes (assumed).
pub const DEFAULT_GRACE_MS: i64 = 30 * 60_000;

/// 自动化监控类管控措施 — the parts of a control measure (管控措施) this check needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoredMeasure {
    /// `ID` of the measure (becomes `RISK_MEASURE_ID`)
    pub measure_id: String,
    /// `RISK_MEASURE_DESC`
    pub description: String,
    /// `DATA_SRC`; must be 1 (自动化监控)
    pub data_src: DataSrc,
    /// `HAZARD_CODE` of the risk analysis object, if known
    pub hazard_code: Option<String>,
    /// monitoring point ids (监测点位)
    pub point_ids: Vec<String>,
}

/// 点位报警 — one alarm of a monitoring point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointAlarm {
    /// point id
    pub point_id: String,
    /// 位号 or display name, used in the generated text (falls back to the id)
    pub label: Option<String>,
    /// alarm start, UTC epoch ms
    pub started_at_ms: i64,
    /// still active (not cleared)
    pub active: bool,
}

/// 联动配置
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkConfig {
    /// 失效宽限期 — an alarm active this long (ms) fails the measure (default 30 min, assumed)
    pub grace_ms: i64,
    /// 隐患类型 of the proposal (default 仪表 instrumentation, assumed)
    pub danger_type: HazardDangerType,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            grace_ms: DEFAULT_GRACE_MS,
            danger_type: HazardDangerType::Instrumentation,
        }
    }
}

/// 联动错误 — why a measure could not be evaluated. `Display` is "中文 / English".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum LinkError {
    /// 措施不是自动化监控类 — `DATA_SRC` is not 1.
    #[error(
        "管控措施 {measure_id} 不是自动化监控类（DATA_SRC ≠ 1） / control measure {measure_id} is not checked by automated monitoring (DATA_SRC ≠ 1)"
    )]
    NotAutomated {
        /// measure id
        measure_id: String,
    },
    /// 措施未关联监测点位
    #[error(
        "管控措施 {measure_id} 未关联任何监测点位 / control measure {measure_id} names no monitoring point"
    )]
    NoPoints {
        /// measure id
        measure_id: String,
    },
    /// 宽限期为负
    #[error(
        "失效宽限期不能为负（{grace_ms} 毫秒） / the grace period must not be negative ({grace_ms} ms)"
    )]
    InvalidGrace {
        /// the value given
        grace_ms: i64,
    },
}

/// 失效点位 — a point whose alarm fails the measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingPoint {
    /// point id
    pub point_id: String,
    /// label used in texts
    pub label: String,
    /// start of its earliest active alarm
    pub alarm_since_ms: i64,
    /// alarm start + grace
    pub failed_since_ms: i64,
}

/// 隐患建议 — a proposed hidden danger (`DANGER_SRC` 9) for the caller to register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DangerProposal {
    /// `DANGER_SRC` = 9 管控措施失效
    pub source: DangerSrc,
    /// `RISK_MEASURE_ID`
    pub risk_measure_id: String,
    /// `HAZARD_CODE`
    pub hazard_code: Option<String>,
    /// `HAZARD_DANGER_TYPE`
    pub danger_type: HazardDangerType,
    /// `MANAGEMENT_CLASSIFICATION` = 2 物的不安全状态 (assumed)
    pub management_classification: ManagementClassification,
    /// `OCCURRENCE_LINK` = 6 使用操作 (assumed)
    pub occurrence_link: OccurrenceLink,
    /// 隐患名称（中文）
    pub name_zh: String,
    /// name (English)
    pub name_en: String,
    /// 隐患描述（中文）
    pub description_zh: String,
    /// description (English)
    pub description_en: String,
    /// when the measure failed (`REGIST_TIME` suggestion)
    pub failed_since_ms: i64,
}

/// 措施评价 — the outcome for one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureEvaluation {
    /// measure id
    pub measure_id: String,
    /// 是否失效
    pub failed: bool,
    /// earliest failure instant (alarm start + grace) over the failing points
    pub failed_since_ms: Option<i64>,
    /// failing points, by failure time then point id
    pub failing_points: Vec<FailingPoint>,
    /// points with an active alarm still inside the grace period
    pub points_in_grace: Vec<String>,
    /// the proposal, when failed
    pub proposal: Option<DangerProposal>,
}

/// 评价管控措施 — whether `measure` has failed at `now_ms` given the alarms of its points.
/// Alarms of other points and cleared alarms are ignored; an alarm active for at least
/// `grace_ms` (`now_ms ≥ started_at_ms + grace_ms`) fails the measure.
pub fn evaluate_measure(
    measure: &MonitoredMeasure,
    alarms: &[PointAlarm],
    now_ms: i64,
    config: &LinkConfig,
) -> Result<MeasureEvaluation, LinkError> {
    if measure.data_src != DataSrc::AutomatedMonitoring {
        return Err(LinkError::NotAutomated {
            measure_id: measure.measure_id.clone(),
        });
    }
    if measure.point_ids.is_empty() {
        return Err(LinkError::NoPoints {
            measure_id: measure.measure_id.clone(),
        });
    }
    if config.grace_ms < 0 {
        return Err(LinkError::InvalidGrace {
            grace_ms: config.grace_ms,
        });
    }
    let mut failing: Vec<FailingPoint> = Vec::new();
    let mut in_grace: Vec<String> = Vec::new();
    let mut points: Vec<&String> = measure.point_ids.iter().collect();
    points.sort();
    points.dedup();
    for pid in points {
        // earliest active alarm of this point
        let earliest = alarms
            .iter()
            .filter(|a| a.active && &a.point_id == pid)
            .min_by_key(|a| a.started_at_ms);
        let Some(a) = earliest else { continue };
        let failed_since = a.started_at_ms.saturating_add(config.grace_ms);
        if now_ms >= failed_since {
            failing.push(FailingPoint {
                point_id: pid.clone(),
                label: a
                    .label
                    .clone()
                    .filter(|l| !l.trim().is_empty())
                    .unwrap_or_else(|| pid.clone()),
                alarm_since_ms: a.started_at_ms,
                failed_since_ms: failed_since,
            });
        } else {
            in_grace.push(pid.clone());
        }
    }
    failing.sort_by(|a, b| {
        a.failed_since_ms
            .cmp(&b.failed_since_ms)
            .then_with(|| a.point_id.cmp(&b.point_id))
    });
    let failed_since_ms = failing.first().map(|f| f.failed_since_ms);
    let proposal = failed_since_ms.map(|since| propose(measure, &failing, since, config));
    Ok(MeasureEvaluation {
        measure_id: measure.measure_id.clone(),
        failed: !failing.is_empty(),
        failed_since_ms,
        failing_points: failing,
        points_in_grace: in_grace,
        proposal,
    })
}

fn minutes(ms: i64) -> i64 {
    ms / 60_000
}

fn propose(
    measure: &MonitoredMeasure,
    failing: &[FailingPoint],
    since: i64,
    config: &LinkConfig,
) -> DangerProposal {
    let labels: Vec<&str> = failing.iter().map(|f| f.label.as_str()).collect();
    let list_zh = labels.join("、");
    let list_en = labels.join(", ");
    let what = if measure.description.trim().is_empty() {
        measure.measure_id.as_str()
    } else {
        measure.description.as_str()
    };
    let grace_min = minutes(config.grace_ms);
    DangerProposal {
        source: DangerSrc::ControlMeasureFailure,
        risk_measure_id: measure.measure_id.clone(),
        hazard_code: measure.hazard_code.clone(),
        danger_type: config.danger_type,
        management_classification: ManagementClassification::UnsafeCondition,
        occurrence_link: OccurrenceLink::Operation,
        name_zh: format!("管控措施失效：{what}"),
        name_en: format!("Control measure failed: {what}"),
        description_zh: format!(
            "自动化监控类管控措施「{what}」失效：监测点位 {list_zh} 报警持续超过 {grace_min} 分钟未消除。"
        ),
        description_en: format!(
            "Automated-monitoring control measure \"{what}\" has failed: monitoring point(s) {list_en} in alarm for more than {grace_min} min without clearing."
        ),
        failed_since_ms: since,
    }
}
