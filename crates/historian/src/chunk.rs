//! Immutable chunk files: compressed per-series chunks plus an index.
//!
//! Layout of `chunks/<file id, 16 digits>.chk` (all integers little-endian):
//!
//! ```text
//! "WHCHUNK1"                                      8 bytes
//! blob 0, blob 1, ...                             one per chunk
//! index: entry 0, entry 1, ...                    92 bytes each
//! footer: index_offset u64 | entries u32 | index crc32 u32 | "WHCHKEND"
//! ```
//!
//! A blob is `ts_len u32 | ts column | val_len u32 | value column | q_len u32 |
//! quality column`. An index entry is `series u32 | codec u8 | last_quality u8 |
//! 0 u16 | count u32 | blob len u32 | blob crc32 u32 | seq u64 | blob offset u64 |
//! min_ts i64 | max_ts i64 | min f64 | max f64 | sum f64 | last f64 | lsn_hi u64`.
//! Files are written as `.chk.tmp`, fsynced, renamed and the directory fsynced,
//! so a `.chk` file is always complete; leftover `.tmp` files are deleted at open.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
#[cfg(unix)]
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codec::{self, Codec};
use crate::error::{Error, IoContext, Result};
use crate::fsutil::sync_dir;
use crate::types::{Point, SeriesId};

const FILE_MAGIC: [u8; 8] = *b"WHCHUNK1";
const FOOTER_MAGIC: [u8; 8] = *b"WHCHKEND";
const ENTRY_BYTES: usize = 92;
const FOOTER_BYTES: usize = 24;

/// What the index says about one chunk.
#[derive(Clone, Debug)]
pub(crate) struct ChunkMeta {
    pub series: SeriesId,
    pub codec: Codec,
    pub count: u32,
    /// Global, increasing chunk sequence: for equal timestamps in overlapping
    /// chunks the higher sequence (written later) wins.
    pub seq: u64,
    pub offset: u64,
    pub len: u32,
    pub crc: u32,
    pub min_ts: i64,
    pub max_ts: i64,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub last_value: f64,
    pub last_quality: u8,
    /// Highest WAL LSN among the chunk's samples.
    pub lsn_hi: u64,
}

/// A chunk ready to be written.
pub(crate) struct EncodedChunk {
    pub meta: ChunkMeta,
    pub blob: Vec<u8>,
}

/// Decoded columns of a chunk.
pub(crate) struct DecodedChunk {
    pub ts: Vec<i64>,
    pub values: Vec<f64>,
    pub quality: Vec<u8>,
}

/// An open, immutable chunk file.
#[derive(Debug)]
pub(crate) struct ChunkFile {
    pub id: u64,
    pub path: PathBuf,
    file: File,
}

fn corrupt(path: &Path, reason: impl Into<String>) -> Error {
    Error::CorruptChunk {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Compresses one series' sorted, duplicate-free points.
pub(crate) fn encode_chunk(
    codec: Codec,
    series: SeriesId,
    seq: u64,
    lsn_hi: u64,
    points: &[Point],
) -> Result<EncodedChunk> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(Error::Codec("an empty chunk cannot be encoded".into()));
    };
    let count = u32::try_from(points.len())
        .map_err(|_| Error::Codec("chunk holds more than 2^32 samples".into()))?;
    let ts: Vec<i64> = points.iter().map(|p| p.ts).collect();
    let values: Vec<f64> = points.iter().map(|p| p.value).collect();
    let quality: Vec<u8> = points.iter().map(|p| p.quality).collect();
    let (mut min, mut max, mut sum) = (first.value, first.value, 0.0);
    for &v in &values {
        if v < min {
            min = v;
        }
        if v > max {
            max = v;
        }
        sum += v;
    }
    let cols = [
        codec::encode_timestamps(codec, &ts)?,
        codec::encode_values(codec, &values)?,
        codec::encode_quality(&quality),
    ];
    let mut blob = Vec::with_capacity(cols.iter().map(|c| c.len() + 4).sum());
    for c in &cols {
        let len =
            u32::try_from(c.len()).map_err(|_| Error::Codec("column longer than 4 GiB".into()))?;
        blob.extend_from_slice(&len.to_le_bytes());
        blob.extend_from_slice(c);
    }
    Ok(EncodedChunk {
        meta: ChunkMeta {
            series,
            codec,
            count,
            seq,
            offset: 0,
            len: 0,
            crc: 0,
            min_ts: first.ts,
            max_ts: last.ts,
            min,
            max,
            sum,
            last_value: last.value,
            last_quality: last.quality,
            lsn_hi,
        },
        blob,
    })
}

/// Decodes a blob read from `path` and checks it against the index entry.
pub(crate) fn decode_blob(path: &Path, meta: &ChunkMeta, blob: &[u8]) -> Result<DecodedChunk> {
    let n = meta.count as usize;
    let mut pos = 0usize;
    let mut col = || -> Result<&[u8]> {
        let len_bytes = blob
            .get(pos..pos + 4)
            .ok_or_else(|| corrupt(path, "blob ends inside a column length"))?;
        let mut w = [0u8; 4];
        w.copy_from_slice(len_bytes);
        let len = u32::from_le_bytes(w) as usize;
        let c = blob
            .get(pos + 4..pos + 4 + len)
            .ok_or_else(|| corrupt(path, "blob ends inside a column"))?;
        pos += 4 + len;
        Ok(c)
    };
    let ts_bytes = col()?;
    let val_bytes = col()?;
    let q_bytes = col()?;
    let wrap = |e: Error| corrupt(path, format!("series {}: {e}", meta.series));
    let ts = codec::decode_timestamps(meta.codec, ts_bytes, n).map_err(wrap)?;
    let values = codec::decode_values(meta.codec, val_bytes, n).map_err(wrap)?;
    let quality = codec::decode_quality(q_bytes, n).map_err(wrap)?;
    if ts.first() != Some(&meta.min_ts)
        || ts.last() != Some(&meta.max_ts)
        || ts.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(corrupt(
            path,
            format!("series {}: timestamps do not match the index", meta.series),
        ));
    }
    Ok(DecodedChunk {
        ts,
        values,
        quality,
    })
}

fn put_entry(out: &mut Vec<u8>, m: &ChunkMeta) {
    out.extend_from_slice(&m.series.0.to_le_bytes());
    out.push(m.codec.tag());
    out.push(m.last_quality);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&m.count.to_le_bytes());
    out.extend_from_slice(&m.len.to_le_bytes());
    out.extend_from_slice(&m.crc.to_le_bytes());
    out.extend_from_slice(&m.seq.to_le_bytes());
    out.extend_from_slice(&m.offset.to_le_bytes());
    out.extend_from_slice(&m.min_ts.to_le_bytes());
    out.extend_from_slice(&m.max_ts.to_le_bytes());
    for v in [m.min, m.max, m.sum, m.last_value] {
        out.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    out.extend_from_slice(&m.lsn_hi.to_le_bytes());
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut a = [0u8; N];
        a.copy_from_slice(&self.b[self.pos..self.pos + N]);
        self.pos += N;
        a
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }
    fn i64(&mut self) -> i64 {
        i64::from_le_bytes(self.take())
    }
    fn f64(&mut self) -> f64 {
        f64::from_bits(self.u64())
    }
}

/// Parses one index entry (`e.len() == ENTRY_BYTES`).
fn get_entry(path: &Path, e: &[u8]) -> Result<ChunkMeta> {
    let mut c = Cursor { b: e, pos: 0 };
    let series = SeriesId(c.u32());
    let tag = c.u8();
    let codec =
        Codec::from_tag(tag).ok_or_else(|| corrupt(path, format!("unknown codec tag {tag}")))?;
    let last_quality = c.u8();
    let _reserved: [u8; 2] = c.take();
    Ok(ChunkMeta {
        series,
        codec,
        last_quality,
        count: c.u32(),
        len: c.u32(),
        crc: c.u32(),
        seq: c.u64(),
        offset: c.u64(),
        min_ts: c.i64(),
        max_ts: c.i64(),
        min: c.f64(),
        max: c.f64(),
        sum: c.f64(),
        last_value: c.f64(),
        lsn_hi: c.u64(),
    })
}

pub(crate) fn file_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id:016}.chk"))
}

/// Lists complete chunk files (sorted by id) and deletes leftover temporaries.
pub(crate) fn list_files(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).at(dir)? {
        let entry = entry.at(dir)?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.ends_with(".chk.tmp") {
            tracing::info!(path = %path.display(), "removing an unfinished chunk file");
            fs::remove_file(&path).at(&path)?;
            continue;
        }
        let id = name
            .strip_suffix(".chk")
            .filter(|stem| stem.len() == 16)
            .and_then(|stem| stem.parse::<u64>().ok());
        if let Some(id) = id {
            out.push((id, path));
        }
    }
    out.sort();
    Ok(out)
}

/// Writes a new chunk file durably and returns it with the final index entries.
pub(crate) fn write_file(
    dir: &Path,
    id: u64,
    chunks: Vec<EncodedChunk>,
) -> Result<(Arc<ChunkFile>, Vec<ChunkMeta>)> {
    let path = file_path(dir, id);
    let tmp = path.with_extension("chk.tmp");
    let f = File::create(&tmp).at(&tmp)?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let mut offset = FILE_MAGIC.len() as u64;
    w.write_all(&FILE_MAGIC).at(&tmp)?;
    let mut metas = Vec::with_capacity(chunks.len());
    for c in chunks {
        let mut m = c.meta;
        m.offset = offset;
        m.len = u32::try_from(c.blob.len())
            .map_err(|_| Error::Codec("chunk blob longer than 4 GiB".into()))?;
        m.crc = crc32fast::hash(&c.blob);
        w.write_all(&c.blob).at(&tmp)?;
        offset += c.blob.len() as u64;
        metas.push(m);
    }
    let mut index = Vec::with_capacity(metas.len() * ENTRY_BYTES + FOOTER_BYTES);
    for m in &metas {
        put_entry(&mut index, m);
    }
    let index_crc = crc32fast::hash(&index);
    let entries = u32::try_from(metas.len())
        .map_err(|_| Error::Codec("more than 2^32 chunks in one file".into()))?;
    index.extend_from_slice(&offset.to_le_bytes());
    index.extend_from_slice(&entries.to_le_bytes());
    index.extend_from_slice(&index_crc.to_le_bytes());
    index.extend_from_slice(&FOOTER_MAGIC);
    w.write_all(&index).at(&tmp)?;
    let f = w
        .into_inner()
        .map_err(|e| Error::io(&tmp, e.into_error()))?;
    f.sync_all().at(&tmp)?;
    drop(f);
    fs::rename(&tmp, &path).at(&path)?;
    sync_dir(dir)?;
    let file = File::open(&path).at(&path)?;
    Ok((Arc::new(ChunkFile { id, path, file }), metas))
}

/// Opens a chunk file and reads its index.
pub(crate) fn open_file(path: &Path, id: u64) -> Result<(Arc<ChunkFile>, Vec<ChunkMeta>)> {
    let data = fs::read(path).at(path)?;
    if data.len() < FILE_MAGIC.len() + FOOTER_BYTES || data[..8] != FILE_MAGIC {
        return Err(corrupt(path, "bad header or too short"));
    }
    let footer = &data[data.len() - FOOTER_BYTES..];
    let mut c = Cursor { b: footer, pos: 0 };
    let index_offset = c.u64();
    let entries = c.u32() as usize;
    let index_crc = c.u32();
    if c.take::<8>() != FOOTER_MAGIC {
        return Err(corrupt(path, "bad footer magic"));
    }
    let index_end = data.len() - FOOTER_BYTES;
    let index_start = usize::try_from(index_offset)
        .ok()
        .filter(|s| *s >= FILE_MAGIC.len() && *s <= index_end)
        .ok_or_else(|| corrupt(path, "index offset out of range"))?;
    if (index_end - index_start) != entries * ENTRY_BYTES {
        return Err(corrupt(path, "index size does not match its entry count"));
    }
    let index = &data[index_start..index_end];
    if crc32fast::hash(index) != index_crc {
        return Err(corrupt(path, "index checksum mismatch"));
    }
    let mut metas = Vec::with_capacity(entries);
    for e in index.chunks_exact(ENTRY_BYTES) {
        let m = get_entry(path, e)?;
        let end = m.offset.checked_add(u64::from(m.len));
        if m.count == 0
            || m.min_ts > m.max_ts
            || m.offset < FILE_MAGIC.len() as u64
            || end.is_none_or(|e| e > index_offset)
        {
            return Err(corrupt(
                path,
                format!("index entry for series {} is inconsistent", m.series),
            ));
        }
        metas.push(m);
    }
    drop(data);
    let file = File::open(path).at(path)?;
    Ok((
        Arc::new(ChunkFile {
            id,
            path: path.to_path_buf(),
            file,
        }),
        metas,
    ))
}

impl ChunkFile {
    /// Reads a chunk's blob and verifies its checksum.
    pub(crate) fn read_blob(&self, meta: &ChunkMeta) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; meta.len as usize];
        self.read_at(&mut buf, meta.offset).at(&self.path)?;
        if crc32fast::hash(&buf) != meta.crc {
            return Err(corrupt(
                &self.path,
                format!(
                    "checksum mismatch in the chunk of series {} at byte {}",
                    meta.series, meta.offset
                ),
            ));
        }
        Ok(buf)
    }

    /// Reads and decodes a chunk.
    pub(crate) fn read_chunk(&self, meta: &ChunkMeta) -> Result<DecodedChunk> {
        let blob = self.read_blob(meta)?;
        decode_blob(&self.path, meta, &blob)
    }

    #[cfg(unix)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        self.file.read_exact_at(buf, offset)
    }

    #[cfg(not(unix))]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = &self.file;
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }
}
