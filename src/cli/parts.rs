//! Reading partial-result files from disk: the header alone (cheap, for checking a
//! set and for recognising planrisk's own files) or the whole file.

use planrisk::report::partial::{self, PartialError, PartialHeader, Payload};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Longest header line read; a real one is well under 4 KB.
const MAX_HEADER: u64 = 1 << 20;

/// Why a file could not be used.
pub enum ReadError {
    Io(std::io::Error),
    Partial(PartialError),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Partial(e) => e.fmt(f),
        }
    }
}

/// The header of the partial-result file at `path`, reading only its first two lines,
/// and the length of the payload on disk (which a truncated file shows).
pub fn read_header(path: &Path) -> Result<(PartialHeader, u64), ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let length = file.metadata().map_err(ReadError::Io)?.len();
    let mut head = Vec::new();
    let mut r = BufReader::new(file.take(MAX_HEADER));
    for _ in 0..2 {
        r.read_until(b'\n', &mut head).map_err(ReadError::Io)?;
    }
    let (header, _) = partial::decode_header(&head).map_err(ReadError::Partial)?;
    Ok((header, length.saturating_sub(head.len() as u64)))
}

/// The whole file at `path`, checked against its header's length and checksum.
pub fn read(path: &Path) -> Result<(PartialHeader, Payload), ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    partial::decode(&bytes).map_err(ReadError::Partial)
}
