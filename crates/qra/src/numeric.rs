//! Numerical helpers shared by the consequence models.

/// The largest `d` in `[lo, hi]` with `f(d) >= target`, assuming `f(hi) < target`: a scan
/// inward from `hi` (geometric steps) to the first point at or above the target, then
/// bisection. `None` when no scanned point reaches the target.
pub(crate) fn outer_crossing(f: impl Fn(f64) -> f64, target: f64, lo: f64, hi: f64) -> Option<f64> {
    const STEPS: usize = 96;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return None;
    }
    let span = hi - lo;
    let mut outer = hi;
    let mut inner = None;
    for k in 1..=STEPS {
        // Denser near `lo`: d = lo + span · (1 − k/STEPS)².
        let frac = 1.0 - k as f64 / STEPS as f64;
        let d = lo + span * frac * frac;
        if f(d) >= target {
            inner = Some(d);
            break;
        }
        outer = d;
    }
    let mut a = inner?;
    let mut b = outer;
    for _ in 0..80 {
        let mid = 0.5 * (a + b);
        if f(mid) >= target {
            a = mid;
        } else {
            b = mid;
        }
        if (b - a) <= 1e-9 * (1.0 + a.abs()) {
            break;
        }
    }
    Some(a)
}
