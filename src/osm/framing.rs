//! Checks the block framing of a `.osm.pbf` file before it is decoded.
//!
//! A PBF file is a sequence of blocks, each a 4-byte big-endian header length, a `BlobHeader`
//! protobuf message (type string, data size) and the blob itself. Walking this framing costs
//! nothing next to decoding, and it turns a file that is not a PBF, or one that was cut short by
//! an interrupted download, into a clear message instead of a failure deep inside the decoder.

/// What is wrong with the framing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramingError {
    /// The file is empty.
    Empty,
    /// The bytes at `offset` cannot be a PBF block header.
    NotPbf { offset: usize, detail: String },
    /// The file ends inside the block that starts at `offset`.
    Truncated {
        offset: usize,
        needed: usize,
        available: usize,
    },
}

/// Largest header allowed by the PBF specification.
const MAX_HEADER: usize = 64 * 1024;
/// Largest blob allowed by the PBF specification.
const MAX_BLOB: usize = 32 * 1024 * 1024;

/// Walks every block of `bytes`, returning the byte offset of each data (`OSMData`) block, in
/// order: the decoder's block `k` starts at offset `k` of the list.
pub fn check(bytes: &[u8]) -> Result<Vec<usize>, FramingError> {
    if bytes.is_empty() {
        return Err(FramingError::Empty);
    }
    let mut pos = 0;
    let mut blocks = 0;
    let mut data = Vec::new();
    while pos < bytes.len() {
        let start = pos;
        let Some(len_bytes) = bytes.get(pos..pos + 4) else {
            return Err(FramingError::Truncated {
                offset: start,
                needed: 4,
                available: bytes.len() - pos,
            });
        };
        let header_len =
            u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        pos += 4;
        if header_len == 0 || header_len > MAX_HEADER {
            return Err(FramingError::NotPbf {
                offset: start,
                detail: if start == 0 {
                    "it does not start like a PBF file".to_string()
                } else {
                    format!("a block header of {header_len} bytes, at most {MAX_HEADER} allowed")
                },
            });
        }
        let Some(header) = bytes.get(pos..pos + header_len) else {
            return Err(FramingError::Truncated {
                offset: start,
                needed: header_len,
                available: bytes.len() - pos,
            });
        };
        let (kind, data_size) =
            parse_blob_header(header).map_err(|detail| FramingError::NotPbf {
                offset: start,
                detail,
            })?;
        if blocks == 0 && kind != "OSMHeader" {
            return Err(FramingError::NotPbf {
                offset: start,
                detail: format!("the first block is {kind:?}, not \"OSMHeader\""),
            });
        }
        if kind != "OSMHeader" && kind != "OSMData" {
            return Err(FramingError::NotPbf {
                offset: start,
                detail: format!("a block of unknown type {kind:?}"),
            });
        }
        if data_size > MAX_BLOB {
            return Err(FramingError::NotPbf {
                offset: start,
                detail: format!("a block of {data_size} bytes (at most {MAX_BLOB} allowed)"),
            });
        }
        pos += header_len;
        if bytes.len() - pos < data_size {
            return Err(FramingError::Truncated {
                offset: start,
                needed: data_size,
                available: bytes.len() - pos,
            });
        }
        pos += data_size;
        blocks += 1;
        if kind == "OSMData" {
            data.push(start);
        }
    }
    Ok(data)
}

/// Reads the `type` (field 1) and `datasize` (field 3) of a `BlobHeader` message.
fn parse_blob_header(mut buf: &[u8]) -> Result<(String, usize), String> {
    let mut kind = None;
    let mut size = None;
    while !buf.is_empty() {
        let key = read_varint(&mut buf)?;
        let (field, wire) = (key >> 3, key & 7);
        match wire {
            0 => {
                let v = read_varint(&mut buf)?;
                if field == 3 {
                    size = Some(v as usize);
                }
            }
            2 => {
                let len = read_varint(&mut buf)? as usize;
                let Some(value) = buf.get(..len) else {
                    return Err("a block header field runs past its header".into());
                };
                if field == 1 {
                    kind = Some(String::from_utf8_lossy(value).into_owned());
                }
                buf = &buf[len..];
            }
            5 if buf.len() >= 4 => buf = &buf[4..],
            1 if buf.len() >= 8 => buf = &buf[8..],
            _ => return Err(format!("an unreadable block header (wire type {wire})")),
        }
    }
    match (kind, size) {
        (Some(k), Some(s)) => Ok((k, s)),
        _ => Err("a block header without type or size".into()),
    }
}

fn read_varint(buf: &mut &[u8]) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let Some((&b, rest)) = buf.split_first() else {
            return Err("a block header cut inside a number".into());
        };
        *buf = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a block header with an overlong number".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/saint_barthelemy.osm.pbf"
        ))
        .unwrap()
    }

    #[test]
    fn accepts_a_real_extract() {
        assert!(!check(&real()).unwrap().is_empty());
    }

    #[test]
    fn reports_truncation_and_garbage() {
        let bytes = real();
        let cut = &bytes[..bytes.len() - 100];
        assert!(matches!(check(cut), Err(FramingError::Truncated { .. })));
        assert!(matches!(
            check(b"id,lon,lat\n1,2,3\n"),
            Err(FramingError::NotPbf { .. })
        ));
        assert_eq!(check(b""), Err(FramingError::Empty));
        for len in [1, 3, 5, 17, 200] {
            assert!(check(&bytes[..len]).is_err(), "{len} bytes");
        }
    }
}
