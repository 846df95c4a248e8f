// English. Same keys as locale-zh.ts (the type makes a missing one a build error).
import type { Messages } from './i18n'

const en: Messages = {
  app: { title: 'Hazardous Chemicals Safety Risk Platform', short: 'weihua' },
  common: {
    ok: 'OK', cancel: 'Cancel', close: 'Close', refresh: 'Refresh', loading: 'Loading…', noData: 'No data',
    all: 'All', updated: 'Updated', search: 'Search', networkError: 'Network error, check the connection',
    httpError: (s: number) => `The server answered with an error (HTTP ${s})`, minutes: (n: number) => (n < 60 ? `${n} min` : `${n / 60} h`),
    total: (n: number) => `${n} in total`, skip: 'Skip to main content', unknown: 'unknown',
  },
  lang: { label: 'Language', zh: '中文', en: 'English' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', needUser: 'Enter your username',
    needPassword: 'Enter your password', classic: 'Use the classic console', offline: 'This system runs offline; everything is served by this node',
  },
  nav: {
    home: { enterprise: 'Enterprise overview', park: 'Park overview', region: 'Region overview' },
    alarms: 'Alarms', points: 'Monitoring points', classic: 'Classic', logout: 'Sign out', menu: 'Main navigation',
  },
  role: {
    ministry_regulator: 'Ministry regulator', province_regulator: 'Province regulator', city_regulator: 'City regulator',
    county_regulator: 'County regulator', park_admin: 'Park administrator', enterprise_admin: 'Enterprise administrator',
    safety_manager: 'Safety manager', operator: 'Operator', gateway: 'Gateway',
  },
  live: { on: 'Live', retry: 'Reconnecting', down: 'Not live', tip: 'Live push (alarm and risk changes)' },
  level: { red: 'Red', orange: 'Orange', yellow: 'Yellow', blue: 'Blue' },
  levelName: { red: 'major risk', orange: 'significant risk', yellow: 'moderate risk', blue: 'low risk' },
  priority: { emergency: 'Emergency', high: 'High', medium: 'Medium', low: 'Low' },
  state: {
    normal: 'Normal', unacknowledged: 'Unacknowledged', acknowledged: 'Acknowledged', rtn_unacknowledged: 'Cleared, unacknowledged',
    latched_unacknowledged: 'Latched, unacknowledged', latched_acknowledged: 'Latched, acknowledged', shelved: 'Shelved',
    suppressed: 'Suppressed by design', out_of_service: 'Out of service',
  },
  kind: {
    limit: 'Limit', rate_of_change: 'Rate of change', deviation: 'Deviation', frozen: 'Frozen value',
    bad_quality: 'Bad quality', interruption: 'Data interruption', enterprise_interruption: 'Enterprise data interruption',
  },
  limit: { HH: 'HH alarm', H: 'H alarm', L: 'L alarm', LL: 'LL alarm' },
  indicator: {
    level: 'Level', temperature: 'Temperature', pressure: 'Pressure', flow: 'Flow',
    flammable_gas: 'Flammable gas', toxic_gas: 'Toxic gas', oxygen: 'Oxygen',
  },
  grade: { n: (g: number) => `Grade ${g}`, none: 'not graded', label: 'Major hazard grade' },
  overview: {
    title: 'Safety risk situation', figures: 'Key figures', pointsOnline: 'Points online', alarmsToday: 'Alarms today',
    unacked: 'Unacknowledged', interruptions: 'Data interruptions', colours: 'Risk colours', plan: 'Site plan',
    planNote: 'Schematic by enterprise, not to scale', ticker: 'Live alarm feed', trend: 'Alarms, last 24 hours',
    ranking: 'Highest risk', noInstallations: 'No major hazard installation in this scope', park: 'Park', outsidePark: 'Enterprises outside parks',
    north: 'N', legend: 'Legend', activeAlarms: (n: number) => `${n} alarm${n === 1 ? '' : 's'}`, score: 'Score',
    reasons: 'Main reasons', people: 'People within 500 m', guardians: 'Responsible persons', principal: 'Principal',
    technical: 'Technical', operational: 'Operational', viewAlarms: 'Alarms', viewPoints: 'Points',
    enterprise: 'Enterprise', code: 'Code', trendPartial: 'Large journal: only part of it was counted', noEvents: 'No alarm activity yet',
    ofTotal: (n: number, total: number) => `${n} / ${total}`, perHour: 'per hour', count: 'Alarms',
    onlineTip: 'Points with data in the last 5 minutes', rollup: 'By place', rollupBy: { enterprises: 'by enterprise', parks: 'by park', regions: 'by region' },
    noRisk: 'No risk assessment yet', worst: 'Worst',
  },
  event: {
    activated: 'Alarm', cleared: 'Cleared', acked: 'Acknowledged', reset: 'Reset', shelved: 'Shelved', unshelved: 'Unshelved',
    suppressed: 'Suppressed', unsuppressed: 'Unsuppressed', out_of_service: 'Out of service', in_service: 'In service', commented: 'Comment',
    escalated: 'Escalated', notified: 'Notified', risk: 'Risk level changed',
  },
  alarms: {
    title: 'Alarms', activeOnly: 'Active only', allPriorities: 'All priorities', allStates: 'All states', allKinds: 'All kinds',
    allEnterprises: 'All enterprises', allInstallations: 'All installations', priority: 'Priority', state: 'State',
    tag: 'Tag', alarm: 'Alarm', value: 'Value', place: 'Enterprise / installation', raised: 'Raised', handling: 'Handling',
    actions: 'Actions', ack: 'Ack', shelve: 'Shelve', unshelve: 'Unshelve', reset: 'Reset', comment: 'Comment',
    ackedBy: (u: string, at: string) => `acknowledged by ${u} at ${at}`, shelvedUntil: (at: string) => `shelved until ${at}`,
    readOnly: 'This role may comment only; acknowledging, shelving and resetting is for enterprise staff', noAlarms: 'No alarm matches',
    shelveTitle: 'Shelve alarm', shelveFor: 'Shelve for', reason: 'Reason', reasonRequired: 'Give a reason',
    reasonHint: 'Shelving needs a reason (kept in the alarm journal and the audit log)', commentTitle: 'Comment', text: 'Text',
    textRequired: 'Write the comment', optionalReason: 'Reason (optional)',
    done: { ack: 'Acknowledged', shelve: 'Shelved', unshelve: 'Unshelved', reset: 'Reset', comment: 'Comment added' },
    position: 'Operator position',
  },
  points: {
    title: 'Monitoring points', search: 'Tag or name', allIndicators: 'All indicators', tag: 'Tag', name: 'Name',
    indicator: 'Indicator', value: 'Value', unit: 'Unit', limits: 'Limits (LL / L / H / HH)', range: 'Range',
    status: 'Status', time: 'Sample time', installation: 'Installation', trend: 'Trend',
    status_: { normal: 'Normal', HH: 'HH', H: 'H', L: 'L', LL: 'LL', none: 'No data', stale: 'Interrupted', bad: 'Bad quality' },
  },
  trend: {
    title: 'Point trend', back: 'Back to points', range: 'Range', last: { h1: '1 hour', h6: '6 hours', h24: '24 hours', d7: '7 days', d30: '30 days' },
    from: 'From', to: 'To', avg: 'Average', min: 'Minimum', max: 'Maximum', noSamples: 'No data in this range',
    buckets: (n: number) => `downsampled to ${n} buckets`, raw: 'raw samples', zoomHint: 'Wheel or drag the slider to zoom; finer data loads when zoomed in',
    limits: 'Limits', notFound: 'No such point', pickEnterprise: 'Several enterprises have this tag; choose one:',
    resetZoom: 'Reset zoom', custom: 'Custom range', latest: 'Latest',
  },
}
export default en
