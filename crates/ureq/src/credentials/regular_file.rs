//! Reading a small text file that holds secrets (the credentials file, the
//! TKE token file): only a regular file, only up to a size cap.
//!
//! Why only regular files: opening a FIFO for reading blocks until a writer
//! appears, and reading a device or `/proc` file may never end, so a
//! misconfigured path would hang the process instead of failing. The type is
//! checked before opening; on Unix the file is also opened non-blocking (so a
//! FIFO swapped in after the check cannot block the open) and checked again
//! through the open handle.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Why a file could not be read. Never holds any of its content.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// A FIFO, socket, device or directory.
    NotRegular(&'static str),
    TooLarge(u64),
    NotUtf8,
    Open(std::io::Error),
    Read(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(what) => {
                write!(f, "is {what}, not a regular file")
            }
            ReadError::TooLarge(cap) => write!(f, "is larger than {cap} bytes"),
            ReadError::NotUtf8 => f.write_str("is not valid UTF-8"),
            ReadError::Open(e) => write!(f, "cannot be opened: {e}"),
            ReadError::Read(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

fn kind_of(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The text of the regular file at `path` (symbolic links followed), at most
/// `cap` bytes; `Ok(None)` when nothing exists there.
pub(crate) fn read_text(path: &Path, cap: u64) -> Result<Option<String>, ReadError> {
    match std::fs::metadata(path) {
        Ok(m) => {
            if let Some(what) = kind_of(m.file_type()) {
                return Err(ReadError::NotRegular(what));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Open(e)),
    }
    let file = match open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Open(e)),
    };
    let opened = file.metadata().map_err(ReadError::Open)?;
    if let Some(what) = kind_of(opened.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    if opened.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Read)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ReadError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TempDir;

    #[test]
    fn regular_files_only() {
        let dir = TempDir::new("regular");
        let file = dir.write("f", "hello");
        assert_eq!(read_text(&file, 5).unwrap().as_deref(), Some("hello"));
        assert!(matches!(read_text(&file, 4), Err(ReadError::TooLarge(4))));
        assert!(read_text(&dir.path().join("absent"), 5).unwrap().is_none());
        assert!(matches!(
            read_text(dir.path(), 5),
            Err(ReadError::NotRegular("a directory"))
        ));
        std::fs::write(dir.path().join("bin"), [0xff, 0xfe]).unwrap();
        assert!(matches!(
            read_text(&dir.path().join("bin"), 5),
            Err(ReadError::NotUtf8)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_without_blocking() {
        let dir = TempDir::new("fifo");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        // Nobody ever opens the FIFO for writing: a blocking read would hang here.
        let e = read_text(&fifo, 1024).unwrap_err();
        assert_eq!(e.to_string(), "is a FIFO (named pipe), not a regular file");
        let e = read_text(Path::new("/dev/zero"), 1024).unwrap_err();
        assert_eq!(e.to_string(), "is a device, not a regular file");
    }
}
