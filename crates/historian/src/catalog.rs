//! The persisted series catalog: monitoring point id (位号) → [`SeriesId`].
//!
//! `catalog.log` in the historian directory: the 8-byte magic `WHCAT\0\0\x01`,
//! then one record per series, `len: u32 LE | crc32: u32 LE | id: u32 LE |
//! point id (UTF-8)`, where `len` counts the id and the name and the CRC covers
//! them. Ids are handed out consecutively from 0; a record is fsynced before its
//! id is returned, so an id once returned is stable across restarts.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, IoContext, Result};
use crate::fsutil::sync_dir;
use crate::types::SeriesId;

const MAGIC: [u8; 8] = *b"WHCAT\0\0\x01";
/// Longest accepted point id, in bytes.
pub const MAX_POINT_ID_BYTES: usize = 256;

struct Inner {
    by_name: HashMap<String, SeriesId>,
    names: Vec<String>,
    file: File,
    /// Valid bytes in the file.
    len: u64,
}

pub(crate) struct Catalog {
    path: PathBuf,
    inner: Mutex<Inner>,
}

impl Catalog {
    pub(crate) fn open(dir: &Path) -> Result<Catalog> {
        let path = dir.join("catalog.log");
        let mut names = Vec::new();
        if path.exists() {
            let data = fs::read(&path).at(&path)?;
            let valid_len = parse(&path, &data, &mut names)?;
            if valid_len < data.len() {
                tracing::warn!(
                    path = %path.display(),
                    offset = valid_len,
                    dropped_bytes = data.len() - valid_len,
                    "series catalog: torn last record cut off (its id was never handed out)"
                );
                let f = OpenOptions::new().write(true).open(&path).at(&path)?;
                f.set_len(valid_len as u64).at(&path)?;
                f.sync_all().at(&path)?;
            }
        } else {
            let mut f = File::create(&path).at(&path)?;
            f.write_all(&MAGIC).at(&path)?;
            f.sync_all().at(&path)?;
            sync_dir(dir)?;
        }
        let file = OpenOptions::new().append(true).open(&path).at(&path)?;
        let len = file.metadata().at(&path)?.len();
        let by_name = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), SeriesId(i as u32)))
            .collect();
        Ok(Catalog {
            path,
            inner: Mutex::new(Inner {
                by_name,
                names,
                file,
                len,
            }),
        })
    }

    pub(crate) fn series_id(&self, point_id: &str) -> Result<SeriesId> {
        let ids = self.series_ids(&[point_id])?;
        ids.first().copied().ok_or(Error::Poisoned)
    }

    /// Ids for many points at once: every new one is appended in one write
    /// and made durable with ONE `fsync` (registering 10,000 points costs one
    /// fsync, not 10,000).
    pub(crate) fn series_ids(&self, point_ids: &[&str]) -> Result<Vec<SeriesId>> {
        for point_id in point_ids {
            if point_id.is_empty() {
                return Err(invalid(point_id, "empty"));
            }
            if point_id.len() > MAX_POINT_ID_BYTES {
                return Err(invalid(point_id, "longer than 256 bytes"));
            }
            if point_id.chars().any(char::is_control) {
                return Err(invalid(point_id, "contains control characters"));
            }
        }
        let mut inner = self.inner.lock().map_err(|_| Error::Poisoned)?;
        let mut out = Vec::with_capacity(point_ids.len());
        let mut fresh: Vec<(String, SeriesId)> = Vec::new();
        let mut buf = Vec::new();
        let mut next = inner.names.len();
        for point_id in point_ids {
            if let Some(id) = inner.by_name.get(*point_id) {
                out.push(*id);
                continue;
            }
            if let Some((_, id)) = fresh.iter().find(|(n, _)| n == point_id) {
                out.push(*id);
                continue;
            }
            let id = u32::try_from(next).map_err(|_| Error::CatalogFull)?;
            next += 1;
            let len = 4 + point_id.len();
            buf.extend_from_slice(&(len as u32).to_le_bytes());
            let mut body = id.to_le_bytes().to_vec();
            body.extend_from_slice(point_id.as_bytes());
            buf.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
            buf.extend_from_slice(&body);
            fresh.push((point_id.to_string(), SeriesId(id)));
            out.push(SeriesId(id));
        }
        if fresh.is_empty() {
            return Ok(out);
        }
        let written = inner
            .file
            .write_all(&buf)
            .and_then(|()| inner.file.sync_data());
        if let Err(e) = written {
            // Do not leave a partial record in front of later ones.
            let _ = inner.file.set_len(inner.len);
            return Err(Error::io(&self.path, e));
        }
        inner.len += buf.len() as u64;
        for (name, id) in fresh {
            inner.names.push(name.clone());
            inner.by_name.insert(name, id);
        }
        Ok(out)
    }

    pub(crate) fn lookup(&self, point_id: &str) -> Option<SeriesId> {
        self.inner.lock().ok()?.by_name.get(point_id).copied()
    }

    pub(crate) fn point_id(&self, series: SeriesId) -> Option<String> {
        self.inner
            .lock()
            .ok()?
            .names
            .get(series.0 as usize)
            .cloned()
    }

    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map(|i| i.names.len()).unwrap_or(0)
    }
}

fn invalid(point_id: &str, reason: &'static str) -> Error {
    Error::InvalidPointId {
        point_id: point_id.chars().take(300).collect(),
        reason,
    }
}

/// Parses the catalog; returns the length of the valid prefix. A damaged last
/// record is a torn write (its id was never returned) and is cut off; damage
/// followed by more bytes is an error.
fn parse(path: &Path, data: &[u8], names: &mut Vec<String>) -> Result<usize> {
    let corrupt = |offset: usize, reason: String| Error::CorruptCatalog {
        path: path.to_path_buf(),
        offset: offset as u64,
        reason,
    };
    if data.len() < MAGIC.len() {
        if MAGIC.starts_with(data) {
            return Err(corrupt(0, "header torn; recreate after checking".into()));
        }
        return Err(corrupt(0, "bad header".into()));
    }
    if data[..MAGIC.len()] != MAGIC {
        return Err(corrupt(0, "bad header".into()));
    }
    let mut pos = MAGIC.len();
    while pos < data.len() {
        let rest = data.len() - pos;
        if rest < 8 {
            return Ok(pos); // torn header of the last record
        }
        let mut w = [0u8; 4];
        w.copy_from_slice(&data[pos..pos + 4]);
        let len = u32::from_le_bytes(w) as usize;
        w.copy_from_slice(&data[pos + 4..pos + 8]);
        let crc = u32::from_le_bytes(w);
        if !(5..=4 + MAX_POINT_ID_BYTES).contains(&len) {
            if rest < 8 + 4 + MAX_POINT_ID_BYTES {
                return Ok(pos); // plausibly the torn last record
            }
            return Err(corrupt(pos, format!("impossible record length {len}")));
        }
        if rest - 8 < len {
            return Ok(pos); // torn last record
        }
        let body = &data[pos + 8..pos + 8 + len];
        let is_last = pos + 8 + len == data.len();
        if crc32fast::hash(body) != crc {
            if is_last {
                return Ok(pos);
            }
            return Err(corrupt(pos, "checksum mismatch".into()));
        }
        w.copy_from_slice(&body[..4]);
        let id = u32::from_le_bytes(w) as usize;
        if id != names.len() {
            return Err(corrupt(
                pos,
                format!("record has id {id}, expected {}", names.len()),
            ));
        }
        let name = std::str::from_utf8(&body[4..])
            .map_err(|_| corrupt(pos, "point id is not UTF-8".into()))?;
        names.push(name.to_string());
        pos += 8 + len;
    }
    Ok(pos)
}
