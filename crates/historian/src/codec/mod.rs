//! Numeric codecs for chunk columns.
//!
//! A chunk stores three columns: timestamps (`i64`, epoch ms), values (`f64`) and
//! quality codes (`u8`). Timestamps and values use the chunk's [`Codec`]; quality
//! codes are always run-length encoded (they are almost always 0 = good).
//!
//! Every codec is lossless and bit-exact for `f64` (including `-0.0`,
//! subnormals and infinities); NaN never reaches a chunk because `append` refuses it.
//! The measured comparison that chose [`Codec::Pco`] as the default is in the
//! crate documentation and in `benches/codec.rs`.

mod gorilla;

use crate::error::{Error, Result};

/// The codec of a chunk's timestamp and value columns. Stored per chunk, so
/// chunks written with different codecs coexist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Codec {
    /// Pcodec (`pco` crate): automatic delta encoding for timestamps and
    /// automatic mode (classic / float-mult / float-quant) for values. The default.
    Pco,
    /// Gorilla (Pelkonen et al., VLDB 2015): delta-of-delta timestamps, XOR
    /// values. Own implementation; faster to encode, larger on noisy data.
    Gorilla,
}

impl Codec {
    /// The tag stored in the chunk index.
    pub fn tag(self) -> u8 {
        match self {
            Codec::Pco => 1,
            Codec::Gorilla => 2,
        }
    }

    /// The codec with this stored tag.
    pub fn from_tag(tag: u8) -> Option<Codec> {
        match tag {
            1 => Some(Codec::Pco),
            2 => Some(Codec::Gorilla),
            _ => None,
        }
    }

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Pco => "pco",
            Codec::Gorilla => "gorilla",
        }
    }
}

fn pco_err(e: pco::errors::PcoError) -> Error {
    Error::Codec(format!("pco: {e}"))
}

/// Encodes a timestamp column.
pub fn encode_timestamps(codec: Codec, ts: &[i64]) -> Result<Vec<u8>> {
    match codec {
        Codec::Pco => {
            pco::standalone::simple_compress(ts, &pco::ChunkConfig::default()).map_err(pco_err)
        }
        Codec::Gorilla => Ok(gorilla::encode_timestamps(ts)),
    }
}

/// Decodes a timestamp column that must hold exactly `n` values.
pub fn decode_timestamps(codec: Codec, bytes: &[u8], n: usize) -> Result<Vec<i64>> {
    let out = match codec {
        Codec::Pco => pco::standalone::simple_decompress::<i64>(bytes).map_err(pco_err)?,
        Codec::Gorilla => gorilla::decode_timestamps(bytes, n)?,
    };
    check_len("timestamp", out.len(), n)?;
    Ok(out)
}

/// Encodes a value column.
pub fn encode_values(codec: Codec, values: &[f64]) -> Result<Vec<u8>> {
    match codec {
        Codec::Pco => {
            pco::standalone::simple_compress(values, &pco::ChunkConfig::default()).map_err(pco_err)
        }
        Codec::Gorilla => Ok(gorilla::encode_values(values)),
    }
}

/// Decodes a value column that must hold exactly `n` values.
pub fn decode_values(codec: Codec, bytes: &[u8], n: usize) -> Result<Vec<f64>> {
    let out = match codec {
        Codec::Pco => pco::standalone::simple_decompress::<f64>(bytes).map_err(pco_err)?,
        Codec::Gorilla => gorilla::decode_values(bytes, n)?,
    };
    check_len("value", out.len(), n)?;
    Ok(out)
}

fn check_len(what: &str, got: usize, want: usize) -> Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(Error::Codec(format!(
            "{what} column holds {got} values, the index says {want}"
        )))
    }
}

/// Run-length encodes quality codes: pairs of (code, run length as LEB128).
pub fn encode_quality(quality: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < quality.len() {
        let code = quality[i];
        let mut run = 1usize;
        while i + run < quality.len() && quality[i + run] == code {
            run += 1;
        }
        out.push(code);
        put_varint(&mut out, run as u64);
        i += run;
    }
    out
}

/// Decodes run-length encoded quality codes; there must be exactly `n`.
pub fn decode_quality(bytes: &[u8], n: usize) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(n);
    let mut pos = 0;
    while pos < bytes.len() {
        let code = bytes[pos];
        pos += 1;
        let run = get_varint(bytes, &mut pos)?;
        let run = usize::try_from(run)
            .ok()
            .filter(|r| *r > 0 && out.len() + *r <= n)
            .ok_or_else(|| Error::Codec(format!("quality run of {run} does not fit {n}")))?;
        out.resize(out.len() + run, code);
    }
    check_len("quality", out.len(), n)?;
    Ok(out)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes
            .get(*pos)
            .ok_or_else(|| Error::Codec("truncated varint".into()))?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(Error::Codec("varint longer than 64 bits".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_rle_round_trips() {
        let q = [0, 0, 0, 192, 192, 0, 1, 1, 1, 1];
        let enc = encode_quality(&q);
        assert_eq!(decode_quality(&enc, q.len()).ok(), Some(q.to_vec()));
        assert!(decode_quality(&enc, q.len() - 1).is_err());
        assert!(decode_quality(&enc[..enc.len() - 1], q.len()).is_err());
        assert_eq!(decode_quality(&[], 0).ok(), Some(vec![]));
    }
}
