//! 预写日志 (write-ahead log): framed, checksummed records in rotated segment files.
//!
//! See the crate documentation ("File format", "Recovery policy") for the layout
//! and for what happens to damaged records.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};
use crate::fsutil::sync_dir;
use crate::types::{Sample, SeriesId};

/// First 8 bytes of every segment.
pub(crate) const SEGMENT_MAGIC: [u8; 8] = *b"WHWAL\0\0\x01";
/// `len: u32` + `crc32: u32`.
pub(crate) const RECORD_HEADER_BYTES: usize = 8;
/// `kind: u8` + `lsn: u64` + `count: u32`.
pub(crate) const PAYLOAD_FIXED_BYTES: usize = 13;
/// `series: u32` + `ts_ms: i64` + `value bits: u64` + `quality: u8`.
pub(crate) const SAMPLE_BYTES: usize = 21;
/// Largest accepted record payload; longer length fields are treated as damage.
pub(crate) const MAX_RECORD_BYTES: usize = 64 << 20;
const KIND_SAMPLES: u8 = 1;

/// Bytes one batch of `n` samples takes in the log (header included).
pub(crate) fn record_bytes(n: usize) -> u64 {
    (RECORD_HEADER_BYTES + PAYLOAD_FIXED_BYTES + n * SAMPLE_BYTES) as u64
}

/// Appends one framed record to `buf`.
pub(crate) fn encode_record(buf: &mut Vec<u8>, lsn: u64, samples: &[Sample]) {
    let payload_len = PAYLOAD_FIXED_BYTES + samples.len() * SAMPLE_BYTES;
    let start = buf.len();
    buf.reserve(RECORD_HEADER_BYTES + payload_len);
    buf.extend_from_slice(&(payload_len as u32).to_le_bytes());
    buf.extend_from_slice(&[0; 4]);
    let p = buf.len();
    buf.push(KIND_SAMPLES);
    buf.extend_from_slice(&lsn.to_le_bytes());
    buf.extend_from_slice(&(samples.len() as u32).to_le_bytes());
    for s in samples {
        buf.extend_from_slice(&s.series.0.to_le_bytes());
        buf.extend_from_slice(&s.ts_ms.to_le_bytes());
        buf.extend_from_slice(&s.value.to_bits().to_le_bytes());
        buf.push(s.quality);
    }
    let crc = crc32fast::hash(&buf[p..]);
    buf[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

/// A segment file on disk.
#[derive(Clone, Debug)]
pub(crate) struct SegmentInfo {
    /// LSN of its first record (also in the file name).
    pub first_lsn: u64,
    pub path: PathBuf,
    /// Valid bytes.
    pub bytes: u64,
}

/// A damaged tail that was cut off the last segment at open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalTruncation {
    /// The segment.
    pub segment: PathBuf,
    /// Byte offset where the first bad record started; the segment now ends here.
    pub offset: u64,
    /// How many bytes were cut off.
    pub dropped_bytes: u64,
    /// What was wrong with the first bad record.
    pub reason: String,
    /// Where the cut-off bytes were saved (under `wal/quarantine/`), if any.
    pub quarantined_to: Option<PathBuf>,
}

pub(crate) struct Replay {
    pub segments: Vec<SegmentInfo>,
    /// Records in the last segment (0: it may be reused by the writer).
    pub last_segment_records: u64,
    pub next_lsn: u64,
    pub records: u64,
    pub samples: u64,
    pub truncations: Vec<WalTruncation>,
}

pub(crate) fn segment_path(dir: &Path, first_lsn: u64) -> PathBuf {
    dir.join(format!("{first_lsn:020}.wal"))
}

fn list_segments(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).at(dir)? {
        let entry = entry.at(dir)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_suffix(".wal") else {
            continue;
        };
        if let Some(lsn) = Some(stem)
            .filter(|s| s.len() == 20)
            .and_then(|s| s.parse::<u64>().ok())
        {
            out.push((lsn, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

enum Parsed {
    End,
    Record { lsn: u64, next: usize },
    Bad(String),
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Parses the record at `pos`, decoding its samples into `out`.
fn parse_record(data: &[u8], pos: usize, expected_lsn: u64, out: &mut Vec<Sample>) -> Parsed {
    let rest = data.len() - pos;
    if rest == 0 {
        return Parsed::End;
    }
    if rest < RECORD_HEADER_BYTES {
        return Parsed::Bad(format!("{rest} bytes left, shorter than a record header"));
    }
    let len = le_u32(data, pos) as usize;
    let crc = le_u32(data, pos + 4);
    if !(PAYLOAD_FIXED_BYTES..=MAX_RECORD_BYTES).contains(&len) {
        return Parsed::Bad(format!("impossible record length {len}"));
    }
    let body = pos + RECORD_HEADER_BYTES;
    if data.len() - body < len {
        return Parsed::Bad(format!(
            "record of {len} bytes but only {} bytes left (torn write)",
            data.len() - body
        ));
    }
    let payload = &data[body..body + len];
    let actual = crc32fast::hash(payload);
    if actual != crc {
        return Parsed::Bad(format!(
            "checksum mismatch (stored {crc:08x}, computed {actual:08x})"
        ));
    }
    if payload[0] != KIND_SAMPLES {
        return Parsed::Bad(format!("unknown record kind {}", payload[0]));
    }
    let lsn = le_u64(payload, 1);
    if lsn != expected_lsn {
        return Parsed::Bad(format!("record has LSN {lsn}, expected {expected_lsn}"));
    }
    let count = le_u32(payload, 9) as usize;
    if PAYLOAD_FIXED_BYTES + count * SAMPLE_BYTES != len {
        return Parsed::Bad(format!("record claims {count} samples but has {len} bytes"));
    }
    out.clear();
    out.reserve(count);
    for i in 0..count {
        let at = PAYLOAD_FIXED_BYTES + i * SAMPLE_BYTES;
        out.push(Sample {
            series: SeriesId(le_u32(payload, at)),
            ts_ms: le_u64(payload, at + 4) as i64,
            value: f64::from_bits(le_u64(payload, at + 12)),
            quality: payload[at + 20],
        });
    }
    Parsed::Record {
        lsn,
        next: body + len,
    }
}

/// Saves `bytes` under `wal/quarantine/` and returns the path.
fn quarantine(dir: &Path, segment: &Path, offset: usize, bytes: &[u8]) -> Result<PathBuf> {
    let qdir = dir.join("quarantine");
    crate::fsutil::ensure_dir(&qdir)?;
    let name = segment
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("segment");
    let path = qdir.join(format!("{name}.at-{offset}.bad"));
    let mut f = File::create(&path).at(&path)?;
    f.write_all(bytes).at(&path)?;
    f.sync_all().at(&path)?;
    sync_dir(&qdir)?;
    Ok(path)
}

/// Cuts the last segment at `offset`, saving what follows to the quarantine.
fn cut_tail(
    dir: &Path,
    path: &Path,
    data: &[u8],
    offset: usize,
    reason: String,
) -> Result<WalTruncation> {
    let dropped = &data[offset..];
    let quarantined_to = if dropped.is_empty() {
        None
    } else {
        Some(quarantine(dir, path, offset, dropped)?)
    };
    let f = OpenOptions::new().write(true).open(path).at(path)?;
    f.set_len(offset as u64).at(path)?;
    f.sync_all().at(path)?;
    let t = WalTruncation {
        segment: path.to_path_buf(),
        offset: offset as u64,
        dropped_bytes: dropped.len() as u64,
        reason,
        quarantined_to,
    };
    tracing::warn!(
        segment = %t.segment.display(),
        offset = t.offset,
        dropped_bytes = t.dropped_bytes,
        reason = %t.reason,
        quarantined_to = ?t.quarantined_to,
        "write-ahead log: damaged tail of the last segment cut off (unacknowledged writes of a crash, or media damage; the bytes are kept in the quarantine)"
    );
    Ok(t)
}

/// Replays every segment in LSN order, calling `apply` for each record.
///
/// Policy: damage in the last segment (torn tail after a crash, bad checksum)
/// ends the replay there; the rest of that segment is moved to the quarantine
/// and the segment truncated. Damage in any older segment is
/// [`Error::CorruptWal`]: those segments were complete and fsynced before the
/// next one was started, so damage there is media corruption with acknowledged
/// records possibly behind it.
pub(crate) fn replay(dir: &Path, mut apply: impl FnMut(u64, &[Sample])) -> Result<Replay> {
    let segs = list_segments(dir)?;
    let mut out = Replay {
        segments: Vec::new(),
        last_segment_records: 0,
        next_lsn: 1,
        records: 0,
        samples: 0,
        truncations: Vec::new(),
    };
    let mut expected: Option<u64> = None;
    let mut samples = Vec::new();
    let n_segs = segs.len();
    for (i, (first_lsn, path)) in segs.into_iter().enumerate() {
        let last = i + 1 == n_segs;
        let corrupt = |offset: usize, reason: String| Error::CorruptWal {
            path: path.clone(),
            offset: offset as u64,
            reason,
        };
        if let Some(e) = expected.filter(|e| *e != first_lsn) {
            return Err(corrupt(
                0,
                format!(
                    "segment starts at LSN {first_lsn} but LSN {e} was expected (a segment is missing)"
                ),
            ));
        }
        let data = fs::read(&path).at(&path)?;
        if data.len() < SEGMENT_MAGIC.len() || data[..SEGMENT_MAGIC.len()] != SEGMENT_MAGIC {
            let torn_creation =
                data.len() < SEGMENT_MAGIC.len() && SEGMENT_MAGIC.starts_with(&data);
            if !last {
                return Err(corrupt(0, "bad segment header".into()));
            }
            // The last segment's header never became durable (crash while the
            // segment was being created) or is damaged: keep its bytes, remove it.
            let reason = if torn_creation {
                "segment header torn while the segment was being created".to_string()
            } else {
                "bad segment header".to_string()
            };
            let mut t = cut_tail(dir, &path, &data, 0, reason)?;
            fs::remove_file(&path).at(&path)?;
            sync_dir(dir)?;
            t.offset = 0;
            out.truncations.push(t);
            out.next_lsn = first_lsn;
            expected = Some(first_lsn);
            continue;
        }
        let mut pos = SEGMENT_MAGIC.len();
        let mut lsn = first_lsn;
        loop {
            match parse_record(&data, pos, lsn, &mut samples) {
                Parsed::End => break,
                Parsed::Record { lsn: l, next } => {
                    apply(l, &samples);
                    out.records += 1;
                    out.samples += samples.len() as u64;
                    lsn = l + 1;
                    pos = next;
                }
                Parsed::Bad(reason) => {
                    if !last {
                        return Err(corrupt(pos, reason));
                    }
                    out.truncations
                        .push(cut_tail(dir, &path, &data, pos, reason)?);
                    break;
                }
            }
        }
        out.last_segment_records = lsn - first_lsn;
        out.segments.push(SegmentInfo {
            first_lsn,
            path,
            bytes: pos as u64,
        });
        out.next_lsn = lsn;
        expected = Some(lsn);
    }
    Ok(out)
}

/// The single writer of the log (owned by the writer thread).
pub(crate) struct WalWriter {
    dir: PathBuf,
    file: File,
    path: PathBuf,
    bytes: u64,
    segment_limit: u64,
    /// LSN the next record gets.
    pub next_lsn: u64,
}

impl WalWriter {
    /// Continues in the last segment if it is `reuse` (empty, starting at
    /// `next_lsn`), else starts a new segment at `next_lsn`.
    pub(crate) fn open(
        dir: &Path,
        next_lsn: u64,
        reuse: Option<&SegmentInfo>,
        segment_limit: u64,
    ) -> Result<(WalWriter, SegmentInfo)> {
        let (file, path, bytes) = match reuse {
            Some(seg) => {
                let f = OpenOptions::new()
                    .append(true)
                    .open(&seg.path)
                    .at(&seg.path)?;
                (f, seg.path.clone(), seg.bytes)
            }
            None => {
                let (f, p) = create_segment(dir, next_lsn)?;
                (f, p, SEGMENT_MAGIC.len() as u64)
            }
        };
        let info = SegmentInfo {
            first_lsn: next_lsn,
            path: path.clone(),
            bytes,
        };
        Ok((
            WalWriter {
                dir: dir.to_path_buf(),
                file,
                path,
                bytes,
                segment_limit,
                next_lsn,
            },
            info,
        ))
    }

    /// True when the current segment is full.
    pub(crate) fn needs_rotation(&self) -> bool {
        self.bytes >= self.segment_limit
    }

    /// Starts a new segment at `next_lsn` (the old one is already fsynced).
    pub(crate) fn rotate(&mut self) -> Result<SegmentInfo> {
        let (file, path) = create_segment(&self.dir, self.next_lsn)?;
        self.file = file;
        self.path = path.clone();
        self.bytes = SEGMENT_MAGIC.len() as u64;
        Ok(SegmentInfo {
            first_lsn: self.next_lsn,
            path,
            bytes: self.bytes,
        })
    }

    /// Writes a group of `records` framed records and makes them durable with
    /// one `fdatasync`.
    pub(crate) fn write_group(&mut self, buf: &[u8], records: u64) -> Result<()> {
        self.file.write_all(buf).at(&self.path)?;
        self.file.sync_data().at(&self.path)?;
        self.bytes += buf.len() as u64;
        self.next_lsn += records;
        Ok(())
    }

    pub(crate) fn segment_bytes(&self) -> u64 {
        self.bytes
    }
}

fn create_segment(dir: &Path, first_lsn: u64) -> Result<(File, PathBuf)> {
    let path = segment_path(dir, first_lsn);
    let mut f = OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(&path)
        .at(&path)?;
    f.write_all(&SEGMENT_MAGIC).at(&path)?;
    f.sync_all().at(&path)?;
    sync_dir(dir)?;
    Ok((f, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_encoding_is_the_documented_size() {
        let mut buf = Vec::new();
        let s = [Sample::good(SeriesId(7), 1000, 1.5); 3];
        encode_record(&mut buf, 9, &s);
        assert_eq!(buf.len() as u64, record_bytes(3));
        let mut data = SEGMENT_MAGIC.to_vec();
        data.extend_from_slice(&buf);
        let mut out = Vec::new();
        match parse_record(&data, 8, 9, &mut out) {
            Parsed::Record { lsn, next } => {
                assert_eq!((lsn, next), (9, data.len()));
                assert_eq!(out, s.to_vec());
            }
            _ => panic!("record did not parse"),
        }
        assert!(matches!(
            parse_record(&data, 8, 10, &mut out),
            Parsed::Bad(_)
        ));
    }
}
