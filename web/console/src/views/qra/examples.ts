// A worked input for each consequence model of weihua-qra (`GET /api/v1/qra/models`),
// the calculator's starting point. Each one runs as is (checked against the models'
// input structs: field names, units in the names, enums in snake_case); a model not
// listed here starts from `{}`. Kept out of lib/qra.ts so the overview does not carry it.
export const MODEL_EXAMPLES: Record<string, Record<string, unknown>> = {
  gaussian_puff: { mass_kg: 100, wind_speed_m_s: 2, stability: 'D', x_m: 200, t_s: 100 },
  kingery_bulmash: { tnt_mass_kg: 100, distance_m: 50 },
  liquid_orifice: {
    liquid_density_kg_m3: 879.4, upstream_pressure_pa: 790801, ambient_pressure_pa: 101325, liquid_head_m: 0,
    discharge_coefficient: 0.61, hole_diameter_m: 0.00635,
  },
  gas_orifice: {
    upstream_pressure_pa: 501000, upstream_density_kg_m3: 8.9, upstream_temperature_k: 298, heat_capacity_ratio: 1.15,
    discharge_coefficient: 0.85, hole_diameter_m: 0.01, ambient_pressure_pa: 101325,
  },
  flash_fraction: {
    storage_temperature_k: 298.15, boiling_temperature_k: 239.8, liquid_heat_capacity_j_kg_k: 4700, heat_of_vaporisation_j_kg: 1370000,
  },
  two_phase_orifice: {
    storage_pressure_pa: 1200000, storage_temperature_k: 298.15, saturation_pressure_pa: 1000000, molar_mass_kg_mol: 0.01703,
    liquid_density_kg_m3: 603, liquid_heat_capacity_j_kg_k: 4740, heat_of_vaporisation_j_kg: 1166000, hole_diameter_m: 0.025,
  },
  gas_vessel_blowdown: {
    vessel_volume_m3: 10, initial_pressure_pa: 2000000, initial_temperature_k: 293.15, molar_mass_kg_mol: 0.01604,
    heat_capacity_ratio: 1.31, discharge_coefficient: 0.61, hole_diameter_m: 0.01, duration_s: 600, history_points: 11,
  },
  storage_release: {
    substance: '7664-41-7', phase: 'liquid', storage_temperature_k: 298.15, hole_diameter_m: 0.025, inventory_kg: 20000, duration_s: 600,
  },
  britter_mcquaid_plume: { mass_rate_kg_s: 5, release_density_kg_m3: 2.95, wind_speed_10m_m_s: 2, x_m: 200, molar_mass_kg_mol: 0.0709 },
  britter_mcquaid_puff: { mass_kg: 1000, release_density_kg_m3: 2.95, wind_speed_10m_m_s: 2, x_m: 200, t_s: 100, molar_mass_kg_mol: 0.0709 },
  dense_gas_criterion: { release: { continuous: { mass_rate_kg_s: 5 } }, release_density_kg_m3: 2.95, wind_speed_10m_m_s: 2 },
  substance: { query: '7782-50-5' },
  pool_spread: { spill_volume_m3: 20, time_s: 60, bund_area_m2: 400 },
  pool_evaporation: {
    pool_area_m2: 100, wind_speed_m_s: 2, molar_mass_kg_mol: 0.07811, normal_boiling_point_k: 353.2, heat_of_vaporisation_j_kg: 394000,
    pool_temperature_k: 293.15, vapour_pressure_pa: 10000, ground_temperature_k: 293.15, time_s: 600,
  },
  gaussian_plume: { mass_rate_kg_s: 1, wind_speed_m_s: 3, stability: 'D', x_m: 500 },
  wind_profile: { wind_speed_m_s: 3, height_m: 2, stability: 'D' },
  briggs_plume_rise: {
    stack_exit_velocity_m_s: 10, stack_radius_m: 0.5, stack_gas_density_kg_m3: 0.8, ambient_density_kg_m3: 1.2, wind_speed_m_s: 4, stability: 'D', x_m: 200,
  },
  palazzi_puff: { mass_rate_kg_s: 1, duration_s: 300, wind_speed_m_s: 3, stability: 'D', x_m: 500, t_s: 300 },
  dispersion_footprint: {
    source: { release: { continuous: { mass_rate_kg_s: 1 } }, molar_mass_kg_mol: 0.0709 },
    weather: { stability: 'D', wind_speed_m_s: 2.8 },
    thresholds: [{ value: 20, unit: 'ppm', label: 'AEGL-3' }, { value: 2, unit: 'ppm', label: 'AEGL-2' }],
  },
  pool_fire: { pool_diameter_m: 10, burning_rate_kg_m2_s: 0.055, heat_of_combustion_j_kg: 43700000, distance_m: 30 },
  view_factor_cylinder: { flame_radius_m: 5, flame_height_m: 15, distance_m: 30 },
  atmospheric_transmissivity: { path_length_m: 50, model: { method: 'wayne', relative_humidity: 0.7, temperature_k: 293.15 } },
  jet_fire: { reservoir_pressure_pa: 10000000, reservoir_temperature_k: 288.15, hole_diameter_m: 0.005, receptors: [{ x_m: 5, y_m: 2, z_m: 0 }] },
  fireball: { mass_kg: 5000, correlation: 'ccps', heat_of_combustion_j_kg: 46000000, burst_pressure_pa: 1500000, distance_m: 200 },
  tnt_equivalence: { flammable_mass_kg: 1000, heat_of_combustion_j_kg: 46000000, distance_m: 100 },
  bst: { flammable_mass_kg: 1000, heat_of_combustion_j_kg: 46000000, confinement: '2D', reactivity: 'medium', congestion: 'medium', distance_m: 100 },
  h2_jet_explosion: { reservoir_pressure_pa: 10000000, reservoir_temperature_k: 288.15, hole_diameter_m: 0.005, method: 'tnt', distances_m: [5, 10, 20] },
  probit_to_probability: { probit: 5 },
  probit_toxic: { substance: 'chlorine', concentration_mg_m3: 500, exposure_min: 30 },
  probit_thermal: { method: 'eisenberg', flux_w_m2: 12500, exposure_s: 30 },
  probit_overpressure: { method: 'hse_lung', overpressure_pa: 100000 },
}

export const exampleFor = (name: string) => JSON.stringify(MODEL_EXAMPLES[name] ?? {}, null, 2)
