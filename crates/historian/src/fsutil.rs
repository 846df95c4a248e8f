//! Small file-system helpers: directory fsync, the directory lock.

use std::fs::{self, File, OpenOptions};
use std::path::Path;

use crate::error::{Error, IoContext, Result};

/// Makes a directory's entries (created, renamed or deleted files) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).at(dir)
}

/// Creates a directory (and parents) and syncs its parent.
pub(crate) fn ensure_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        fs::create_dir_all(dir).at(dir)?;
        if let Some(parent) = dir.parent() {
            sync_dir(parent)?;
        }
    }
    Ok(())
}

/// An exclusive advisory lock (`flock`) on `<dir>/LOCK`, held while the
/// historian is open, so two processes never write the same directory. The
/// kernel releases it when the process dies, also on SIGKILL.
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    pub(crate) fn acquire(dir: &Path) -> Result<DirLock> {
        let path = dir.join("LOCK");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .at(&path)?;
        lock_exclusive(&file, dir)?;
        Ok(DirLock { _file: file })
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File, dir: &Path) -> Result<()> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: `flock` only reads the file descriptor, which `file` keeps open
    // for the duration of the call; it has no memory-safety preconditions.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    if err.kind() == std::io::ErrorKind::WouldBlock {
        Err(Error::Locked {
            path: dir.to_path_buf(),
        })
    } else {
        Err(Error::io(dir.join("LOCK"), err))
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_file: &File, _dir: &Path) -> Result<()> {
    Ok(())
}

const CUTOFF_MAGIC: [u8; 8] = *b"WHRET\0\0\x01";

/// Reads `<dir>/retention.cutoff`: the newest retention cutoff (epoch ms) ever
/// applied, `i64::MIN` if retention never ran.
pub(crate) fn read_cutoff(dir: &Path) -> Result<i64> {
    let path = dir.join("retention.cutoff");
    let data = match fs::read(&path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(i64::MIN),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let bad = |reason: &str| Error::CorruptFile {
        path: path.clone(),
        reason: reason.to_string(),
    };
    if data.len() != 20 || data[..8] != CUTOFF_MAGIC {
        return Err(bad("bad size or header"));
    }
    let mut v = [0u8; 8];
    v.copy_from_slice(&data[8..16]);
    let mut c = [0u8; 4];
    c.copy_from_slice(&data[16..20]);
    if crc32fast::hash(&v) != u32::from_le_bytes(c) {
        return Err(bad("checksum mismatch"));
    }
    Ok(i64::from_le_bytes(v))
}

/// Durably replaces `<dir>/retention.cutoff` (write, fsync, rename, fsync dir).
pub(crate) fn write_cutoff(dir: &Path, cutoff: i64) -> Result<()> {
    use std::io::Write;
    let path = dir.join("retention.cutoff");
    let tmp = dir.join("retention.cutoff.tmp");
    let v = cutoff.to_le_bytes();
    let mut data = CUTOFF_MAGIC.to_vec();
    data.extend_from_slice(&v);
    data.extend_from_slice(&crc32fast::hash(&v).to_le_bytes());
    let mut f = File::create(&tmp).at(&tmp)?;
    f.write_all(&data).at(&tmp)?;
    f.sync_all().at(&tmp)?;
    drop(f);
    fs::rename(&tmp, &path).at(&path)?;
    sync_dir(dir)
}
