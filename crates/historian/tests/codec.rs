//! The chunk codecs are lossless: bit-exact `f64` (including -0.0 and
//! subnormals) and exact `i64` timestamps.

mod common;

use common::*;
use proptest::prelude::*;
use weihua_historian::codec::{self, Codec};
use weihua_historian::{HistorianConfig, Sample, SeriesId, synth};

const CODECS: [Codec; 2] = [Codec::Pco, Codec::Gorilla];

fn special_values() -> Vec<f64> {
    vec![
        -0.0,
        0.0,
        5e-324, // smallest subnormal
        -5e-324,
        2.225e-308, // subnormal just below MIN_POSITIVE
        -1.5e-310,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE / 3.0,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::EPSILON,
        0.1,
        1.0 / 3.0,
        -273.15,
        1e300,
    ]
}

/// A quantized signal (which makes pco pick its float-mult mode) with the
/// special values mixed in as exceptions.
fn mixed() -> Vec<f64> {
    let mut v: Vec<f64> = synth::temperature(0, 5_000, 9).values;
    for (i, x) in special_values().into_iter().enumerate() {
        v[i * 97 + 13] = x;
        v.push(x);
    }
    v
}

fn assert_bit_exact(codec: Codec, values: &[f64]) {
    let enc = codec::encode_values(codec, values).unwrap_or_else(|e| panic!("{e}"));
    let dec = codec::decode_values(codec, &enc, values.len()).unwrap_or_else(|e| panic!("{e}"));
    let a: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    let b: Vec<u64> = dec.iter().map(|v| v.to_bits()).collect();
    assert_eq!(a, b, "{} is not bit-exact", codec.name());
}

#[test]
fn the_chosen_codec_is_pco_and_round_trips_bit_exact_including_negative_zero_and_subnormals() {
    assert_eq!(HistorianConfig::default().codec, Codec::Pco);
    for codec in CODECS {
        assert_bit_exact(codec, &special_values());
        assert_bit_exact(codec, &mixed());
        assert_bit_exact(codec, &[-0.0; 300]);
        assert_bit_exact(codec, &[5e-324; 300]);
        for s in synth::all(1_767_225_600_000, 7_200) {
            assert_bit_exact(codec, &s.values);
            let enc = codec::encode_timestamps(codec, &s.ts).unwrap_or_else(|e| panic!("{e}"));
            let dec = codec::decode_timestamps(codec, &enc, s.ts.len());
            assert_eq!(dec.ok(), Some(s.ts.clone()), "{} timestamps", codec.name());
        }
    }
}

#[test]
fn special_values_survive_the_whole_historian_path_bit_exact() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let values = mixed();
    let batch: Vec<Sample> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Sample::good(SeriesId(1), i as i64 * 1000, *v))
        .collect();
    {
        let h = open(dir.path(), no_auto_compaction());
        let rt = rt();
        rt.block_on(async {
            assert!(h.append(batch).await.is_ok());
            assert!(h.flush_all().await.is_ok());
        });
    }
    let h = open(dir.path(), no_auto_compaction());
    assert_eq!(h.stats().chunks, 1);
    let got: Vec<u64> = all_of(&h, 1).iter().map(|p| p.1.to_bits()).collect();
    let want: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    assert_eq!(got, want);
}

#[test]
fn a_damaged_gorilla_or_quality_column_is_an_error_not_a_panic() {
    let enc = codec::encode_values(Codec::Gorilla, &mixed()).unwrap_or_else(|e| panic!("{e}"));
    for cut in [0, 1, 7, enc.len() / 2, enc.len() - 1] {
        assert!(codec::decode_values(Codec::Gorilla, &enc[..cut], mixed().len()).is_err());
    }
    assert!(codec::decode_quality(&[0, 0x80, 0x80], 3).is_err());
    assert!(codec::decode_quality(&[0, 5], 3).is_err());
    let enc = codec::encode_values(Codec::Pco, &mixed()).unwrap_or_else(|e| panic!("{e}"));
    assert!(codec::decode_values(Codec::Pco, &enc[..enc.len() / 2], mixed().len()).is_err());
}

proptest! {
    #[test]
    fn every_codec_round_trips_any_values_and_timestamps(
        values in prop::collection::vec(any::<f64>().prop_filter("no NaN", |v| !v.is_nan()), 0..600),
        ts in prop::collection::vec(any::<i64>(), 0..600),
        step in prop::collection::vec(-3i64..3000, 0..600),
    ) {
        let mut regular = Vec::with_capacity(step.len());
        let mut t = 1_767_225_600_000i64;
        for s in step {
            t += s;
            regular.push(t);
        }
        for codec in CODECS {
            let enc = codec::encode_values(codec, &values).unwrap_or_else(|e| panic!("{e}"));
            let dec = codec::decode_values(codec, &enc, values.len()).unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(
                values.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                dec.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
            for t in [&ts, &regular] {
                let enc = codec::encode_timestamps(codec, t).unwrap_or_else(|e| panic!("{e}"));
                let dec = codec::decode_timestamps(codec, &enc, t.len());
                prop_assert_eq!(dec.ok(), Some(t.clone()));
            }
        }
    }
}
