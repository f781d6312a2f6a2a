//! Partial-result files: what one shard of a run (`planrisk run --shard i/N`) leaves
//! for `planrisk merge`. A file is a magic line, a JSON header line saying which run
//! and which shard it belongs to (program version, scenario SHA-256, seed, draws,
//! sampler, conditions, N and i) and a binary payload (postcard) with the shard's
//! histogram ranges and its folded accumulator blocks, bit-exact. The header carries
//! the payload's length and SHA-256, so a truncated or damaged file is recognised.

use crate::sim::fold::Part;
use crate::sim::layout::Layout;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// First line of every partial-result file.
pub const MAGIC: &str = "planrisk-partial";
/// Version of the layout below; a reader refuses any other.
pub const FORMAT: u32 = 1;

/// Which run and which shard a file belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialHeader {
    /// `planrisk`.
    pub program: String,
    /// Which run the file belongs to.
    #[serde(flatten)]
    pub run: RunKey,
    /// Scenario id.
    pub scenario_id: String,
    /// Absolute path of the scenario file the shard ran.
    pub scenario_path: String,
    /// Which shard (0-based).
    pub shard: u64,
    /// The chunks the shard ran, `[first, end)`.
    pub chunks: [u64; 2],
    /// Length of the payload in bytes.
    pub payload_bytes: u64,
    /// SHA-256 of the payload.
    pub payload_sha256: String,
}

/// The identity of a sharded run: files of one run agree on all of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RunKey {
    /// Version of the file layout.
    pub format: u32,
    /// Program version that wrote it.
    pub version: String,
    /// SHA-256 of the scenario files.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// Draws of the whole run.
    pub draws: u64,
    /// Sampler.
    pub sampler: String,
    /// `--given` conditions.
    pub conditions: Vec<String>,
    /// Number of shards.
    pub shards: u64,
    /// Whether the parameters were drawn from their inside-view priors.
    #[serde(default)]
    pub inside_view: bool,
}

impl RunKey {
    /// How `self` differs from `reference`, in words ("seed 5, not 1").
    pub fn differences(&self, reference: &RunKey) -> Vec<String> {
        let mut out = Vec::new();
        let mut differ = |what: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{what} {a}, not {b}"));
            }
        };
        differ(
            "format",
            self.format.to_string(),
            reference.format.to_string(),
        );
        differ(
            "planrisk version",
            self.version.clone(),
            reference.version.clone(),
        );
        differ(
            "scenario sha256",
            short(&self.scenario_sha256),
            short(&reference.scenario_sha256),
        );
        differ("seed", self.seed.to_string(), reference.seed.to_string());
        differ("draws", self.draws.to_string(), reference.draws.to_string());
        differ("sampler", self.sampler.clone(), reference.sampler.clone());
        differ(
            "conditions",
            format!("{:?}", self.conditions),
            format!("{:?}", reference.conditions),
        );
        differ(
            "shard count",
            self.shards.to_string(),
            reference.shards.to_string(),
        );
        let view = |inside: bool| {
            if inside {
                "inside view"
            } else {
                "default priors"
            }
        };
        differ(
            "priors",
            view(self.inside_view).into(),
            view(reference.inside_view).into(),
        );
        out
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect::<String>() + "…"
}

/// What the payload holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The run's histogram ranges (from the pilot every shard runs): equal in every
    /// shard of one run computed by one build.
    pub target_ranges: Vec<(f64, f64)>,
    /// The run's fan histogram ranges.
    pub fan_ranges: Vec<(f64, f64)>,
    /// The shard's part of the run.
    pub part: Part,
}

impl Payload {
    /// The payload of `part`, a shard of a run with `layout`.
    pub fn new(layout: &Layout, part: Part) -> Payload {
        Payload {
            target_ranges: layout.target_ranges(),
            fan_ranges: layout.fan_ranges(),
            part,
        }
    }

    /// Whether the ranges are `layout`'s, bit for bit.
    pub fn ranges_match(&self, layout: &Layout) -> bool {
        let bits = |r: &[(f64, f64)]| -> Vec<(u64, u64)> {
            r.iter().map(|(a, b)| (a.to_bits(), b.to_bits())).collect()
        };
        bits(&self.target_ranges) == bits(&layout.target_ranges())
            && bits(&self.fan_ranges) == bits(&layout.fan_ranges())
    }
}

/// Why bytes are not a usable partial-result file.
#[derive(Debug)]
pub enum PartialError {
    /// Not a partial-result file (no magic line).
    NotPartial,
    /// A file layout version this build does not read.
    Format(u32),
    /// The header is not valid JSON.
    Header(serde_json::Error),
    /// The payload is shorter or longer than the header says.
    Length {
        /// Bytes the header says.
        expected: u64,
        /// Bytes found.
        found: u64,
    },
    /// The payload's SHA-256 differs from the header's.
    Checksum,
    /// The payload cannot be decoded.
    Payload(postcard::Error),
}

impl fmt::Display for PartialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialError::NotPartial => write!(f, "not a planrisk partial-result file"),
            PartialError::Format(v) => write!(
                f,
                "partial-result format {v}, this planrisk reads format {FORMAT}"
            ),
            PartialError::Header(e) => write!(f, "unreadable header: {e}"),
            PartialError::Length { expected, found } => write!(
                f,
                "truncated or damaged: the payload has {found} bytes, the header says {expected}"
            ),
            PartialError::Checksum => {
                write!(f, "damaged: the payload does not match its SHA-256")
            }
            PartialError::Payload(e) => write!(f, "unreadable payload: {e}"),
        }
    }
}

impl std::error::Error for PartialError {}

/// The file's bytes; `header`'s payload length and checksum are filled in here.
pub fn encode(mut header: PartialHeader, payload: &Payload) -> Result<Vec<u8>, PartialError> {
    let body = postcard::to_stdvec(payload).map_err(PartialError::Payload)?;
    header.run.format = FORMAT;
    header.payload_bytes = body.len() as u64;
    header.payload_sha256 = format!("{:x}", Sha256::digest(&body));
    let mut out = format!("{MAGIC}\n").into_bytes();
    out.extend(serde_json::to_vec(&header).map_err(PartialError::Header)?);
    out.push(b'\n');
    out.extend(body);
    Ok(out)
}

/// Reads the header only (cheap: no checksum, no payload).
pub fn decode_header(bytes: &[u8]) -> Result<(PartialHeader, &[u8]), PartialError> {
    let rest = bytes
        .strip_prefix(format!("{MAGIC}\n").as_bytes())
        .ok_or(PartialError::NotPartial)?;
    let end = rest
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(PartialError::NotPartial)?;
    let header: PartialHeader =
        serde_json::from_slice(&rest[..end]).map_err(PartialError::Header)?;
    if header.run.format != FORMAT {
        return Err(PartialError::Format(header.run.format));
    }
    Ok((header, &rest[end + 1..]))
}

/// Reads a whole file: header, then the payload after checking its length and SHA-256.
pub fn decode(bytes: &[u8]) -> Result<(PartialHeader, Payload), PartialError> {
    let (header, body) = decode_header(bytes)?;
    if body.len() as u64 != header.payload_bytes {
        return Err(PartialError::Length {
            expected: header.payload_bytes,
            found: body.len() as u64,
        });
    }
    if format!("{:x}", Sha256::digest(body)) != header.payload_sha256 {
        return Err(PartialError::Checksum);
    }
    let payload = postcard::from_bytes(body).map_err(PartialError::Payload)?;
    Ok((header, payload))
}

/// The file name of shard `index` of `count`: sorts in shard order, and a retried
/// shard writes the same name.
pub fn file_name(index: u64, count: u64) -> String {
    let width = count.saturating_sub(1).to_string().len().max(4);
    format!("shard-{index:0width$}-of-{count:0width$}.part")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> PartialHeader {
        PartialHeader {
            program: "planrisk".into(),
            run: RunKey {
                format: 0,
                version: "0.1.0".into(),
                scenario_sha256: "ab".repeat(32),
                seed: 1,
                draws: 100,
                sampler: "mc".into(),
                conditions: vec![],
                shards: 2,
                inside_view: false,
            },
            scenario_id: "s".into(),
            scenario_path: "/s.toml".into(),
            shard: 1,
            chunks: [0, 1],
            payload_bytes: 0,
            payload_sha256: String::new(),
        }
    }

    fn payload() -> Payload {
        Payload {
            target_ranges: vec![(f64::MIN_POSITIVE, 1.0 / 3.0)],
            fan_ranges: vec![],
            part: Part {
                blocks: vec![],
                draws: 0,
                hits: vec![0],
                convergence: vec![(1, vec![1])],
            },
        }
    }

    #[test]
    fn a_file_round_trips_bit_for_bit() {
        let bytes = encode(header(), &payload()).unwrap();
        let (h, p) = decode(&bytes).unwrap();
        assert_eq!(h.run.format, FORMAT);
        assert_eq!(h.run.seed, 1);
        assert_eq!(p, payload());
    }

    #[test]
    fn damaged_and_foreign_files_are_recognised() {
        let bytes = encode(header(), &payload()).unwrap();
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(matches!(decode(&flipped), Err(PartialError::Checksum)));
        let cut = &bytes[..bytes.len() - 1];
        assert!(matches!(decode(cut), Err(PartialError::Length { .. })));
        assert!(matches!(decode(b"id,p\n"), Err(PartialError::NotPartial)));
        let future = String::from_utf8_lossy(&bytes).replace("\"format\":1", "\"format\":9");
        assert!(matches!(
            decode(future.as_bytes()),
            Err(PartialError::Format(9))
        ));
    }

    #[test]
    fn file_names_sort_in_shard_order() {
        assert_eq!(file_name(3, 4), "shard-0003-of-0004.part");
        assert_eq!(file_name(7, 100_000), "shard-00007-of-100000.part");
    }
}
