//! Gorilla compression (Pelkonen et al., "Gorilla: A Fast, Scalable, In-Memory
//! TSDB", VLDB 2015): delta-of-delta timestamps and XOR-encoded values.
//!
//! Differences from the paper: the timestamp column starts with a full 64-bit
//! timestamp; deltas-of-deltas outside ±2048 use 64 bits (the paper uses 32,
//! enough for second resolution but not for arbitrary millisecond gaps); all
//! arithmetic wraps, so every `i64` sequence round-trips.

use crate::error::{Error, Result};

struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    nbits: u32,
}

impl BitWriter {
    fn with_capacity(bytes: usize) -> Self {
        BitWriter {
            out: Vec::with_capacity(bytes),
            acc: 0,
            nbits: 0,
        }
    }

    /// Writes the low `n` bits of `v`, most significant first (`n` ≤ 64).
    fn write(&mut self, v: u64, n: u32) {
        if n > 32 {
            self.write(v >> 32, n - 32);
            self.write(v & 0xffff_ffff, 32);
            return;
        }
        if n == 0 {
            return;
        }
        let v = v & ((1u64 << n) - 1);
        self.acc = (self.acc << n) | v;
        self.nbits += n;
        while self.nbits >= 8 {
            self.nbits -= 8;
            self.out.push((self.acc >> self.nbits) as u8);
        }
        self.acc &= (1u64 << self.nbits) - 1;
    }

    fn bit(&mut self, b: bool) {
        self.write(u64::from(b), 1);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.nbits > 0 {
            self.out.push((self.acc << (8 - self.nbits)) as u8);
        }
        self.out
    }
}

struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8]) -> Self {
        BitReader { data, pos: 0 }
    }

    fn read(&mut self, n: u32) -> Result<u64> {
        if n > 56 {
            let hi = self.read(n - 32)?;
            let lo = self.read(32)?;
            return Ok((hi << 32) | lo);
        }
        if n == 0 {
            return Ok(0);
        }
        if self.pos + n as usize > self.data.len() * 8 {
            return Err(Error::Codec("gorilla stream ends early".into()));
        }
        // Load the 8 bytes starting at the current byte (zero-padded at the end).
        let byte = self.pos / 8;
        let mut window = [0u8; 8];
        let avail = (self.data.len() - byte).min(8);
        window[..avail].copy_from_slice(&self.data[byte..byte + avail]);
        let w = u64::from_be_bytes(window) << (self.pos % 8);
        self.pos += n as usize;
        Ok(w >> (64 - n))
    }

    fn bit(&mut self) -> Result<bool> {
        Ok(self.read(1)? == 1)
    }
}

pub(super) fn encode_timestamps(ts: &[i64]) -> Vec<u8> {
    let mut w = BitWriter::with_capacity(ts.len() / 4 + 16);
    let Some(&first) = ts.first() else {
        return w.finish();
    };
    w.write(first as u64, 64);
    let mut prev = first;
    let mut prev_delta = 0i64;
    for &t in &ts[1..] {
        let delta = t.wrapping_sub(prev);
        let dod = delta.wrapping_sub(prev_delta);
        if dod == 0 {
            w.bit(false);
        } else if (-63..=64).contains(&dod) {
            w.write(0b10, 2);
            w.write((dod + 63) as u64, 7);
        } else if (-255..=256).contains(&dod) {
            w.write(0b110, 3);
            w.write((dod + 255) as u64, 9);
        } else if (-2047..=2048).contains(&dod) {
            w.write(0b1110, 4);
            w.write((dod + 2047) as u64, 12);
        } else {
            w.write(0b1111, 4);
            w.write(dod as u64, 64);
        }
        prev = t;
        prev_delta = delta;
    }
    w.finish()
}

pub(super) fn decode_timestamps(bytes: &[u8], n: usize) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return Ok(out);
    }
    let mut r = BitReader::new(bytes);
    let mut prev = r.read(64)? as i64;
    out.push(prev);
    let mut prev_delta = 0i64;
    for _ in 1..n {
        let dod = if !r.bit()? {
            0
        } else if !r.bit()? {
            r.read(7)? as i64 - 63
        } else if !r.bit()? {
            r.read(9)? as i64 - 255
        } else if !r.bit()? {
            r.read(12)? as i64 - 2047
        } else {
            r.read(64)? as i64
        };
        let delta = prev_delta.wrapping_add(dod);
        prev = prev.wrapping_add(delta);
        prev_delta = delta;
        out.push(prev);
    }
    Ok(out)
}

pub(super) fn encode_values(values: &[f64]) -> Vec<u8> {
    let mut w = BitWriter::with_capacity(values.len() + 16);
    let Some(&first) = values.first() else {
        return w.finish();
    };
    let mut prev = first.to_bits();
    w.write(prev, 64);
    // (leading zeros, trailing zeros) of the current window; None before the first.
    let mut window: Option<(u32, u32)> = None;
    for &v in &values[1..] {
        let bits = v.to_bits();
        let xor = bits ^ prev;
        if xor == 0 {
            w.bit(false);
        } else {
            w.bit(true);
            let leading = xor.leading_zeros().min(31);
            let trailing = xor.trailing_zeros();
            match window {
                Some((l, t)) if leading >= l && trailing >= t => {
                    w.bit(false);
                    w.write(xor >> t, 64 - l - t);
                }
                _ => {
                    w.bit(true);
                    let meaningful = 64 - leading - trailing;
                    w.write(u64::from(leading), 5);
                    // 64 meaningful bits are stored as 0 (6 bits hold 0..=63).
                    w.write(u64::from(meaningful & 63), 6);
                    w.write(xor >> trailing, meaningful);
                    window = Some((leading, trailing));
                }
            }
        }
        prev = bits;
    }
    w.finish()
}

pub(super) fn decode_values(bytes: &[u8], n: usize) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return Ok(out);
    }
    let mut r = BitReader::new(bytes);
    let mut prev = r.read(64)?;
    out.push(f64::from_bits(prev));
    let mut window: Option<(u32, u32)> = None;
    for _ in 1..n {
        if r.bit()? {
            let (l, t) = if r.bit()? {
                let leading = r.read(5)? as u32;
                let meaningful = match r.read(6)? as u32 {
                    0 => 64,
                    m => m,
                };
                if leading + meaningful > 64 {
                    return Err(Error::Codec("gorilla window exceeds 64 bits".into()));
                }
                let w = (leading, 64 - leading - meaningful);
                window = Some(w);
                w
            } else {
                window.ok_or_else(|| Error::Codec("gorilla reuses a window before any".into()))?
            };
            let meaningful = 64 - l - t;
            let xor = r.read(meaningful)? << t;
            prev ^= xor;
        }
        out.push(f64::from_bits(prev));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_including_extremes() {
        let cases: Vec<Vec<i64>> = vec![
            vec![],
            vec![42],
            vec![0, 1000, 2000, 3000, 3999, 5001, 5001, 4000],
            vec![i64::MIN, i64::MAX, 0, i64::MIN, -1, 1],
            (0..1000)
                .map(|i| 1_700_000_000_000 + i * 1000 + (i % 7) - 3)
                .collect(),
        ];
        for ts in cases {
            let enc = encode_timestamps(&ts);
            assert_eq!(decode_timestamps(&enc, ts.len()).ok(), Some(ts));
        }
    }

    #[test]
    fn values_round_trip_bit_exact() {
        let vals = [
            1.0,
            1.0,
            -0.0,
            0.0,
            f64::MIN_POSITIVE / 3.0,
            -5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            25.37,
            25.38,
            25.37,
        ];
        let enc = encode_values(&vals);
        let dec = decode_values(&enc, vals.len()).unwrap_or_default();
        let a: Vec<u64> = vals.iter().map(|v| v.to_bits()).collect();
        let b: Vec<u64> = dec.iter().map(|v| v.to_bits()).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn truncated_stream_is_an_error_not_a_panic() {
        let enc = encode_values(&[1.0, 2.0, 3.5, 7.25]);
        for cut in 0..enc.len() {
            let _ = decode_values(&enc[..cut], 4);
        }
        assert!(decode_values(&enc[..enc.len() - 1], 4).is_err());
        let enc = encode_timestamps(&[1, 5000, 9000, 90_000_000_000]);
        for cut in 0..enc.len() {
            assert!(decode_timestamps(&enc[..cut], 4).is_err());
        }
    }
}
