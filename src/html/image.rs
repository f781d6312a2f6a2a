//! Charts made small enough to inline: a national run draws about 160 PNGs (28 MB) at
//! twice their display size for print. For the report each is halved with a 2×2 box
//! filter until it is at most [`MAX_WIDTH`] pixels wide, reduced to a palette of
//! [`PALETTE`] colours (NeuQuant, deterministic) and stored as an indexed PNG: the
//! charts are flat colours with anti-aliased edges, so this keeps them legible at
//! about a twelfth of the bytes. The result goes into the page as a base64 data URI.

use rayon::prelude::*;
use std::io::Cursor;

/// Widest picture in the report, in pixels (charts are 1400–1800 px wide, drawn at 2×).
pub const MAX_WIDTH: u32 = 960;
/// Colours in each picture's palette.
pub const PALETTE: usize = 32;
/// Decoded size above which a PNG is refused (the tallest chart is 1800 × 30 000 RGB).
const MAX_DECODED_BYTES: usize = 256 << 20;

/// A picture ready for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The re-encoded PNG.
    pub png: Vec<u8>,
}

impl Picture {
    /// `data:image/png;base64,…`
    pub fn data_uri(&self) -> String {
        format!("data:image/png;base64,{}", base64(&self.png))
    }
}

/// Shrinks many PNGs at once (on the current rayon pool), keeping their order.
pub fn shrink_all(pngs: &[Vec<u8>]) -> Vec<Result<Picture, String>> {
    pngs.par_iter().map(|b| shrink(b)).collect()
}

/// Decodes a PNG, halves it until it fits [`MAX_WIDTH`], and re-encodes it with a
/// palette. The error says why the bytes are not a usable PNG.
pub fn shrink(png_bytes: &[u8]) -> Result<Picture, String> {
    let (mut w, mut h, mut rgb) = decode_rgb(png_bytes)?;
    while w > MAX_WIDTH && h >= 2 {
        (w, h, rgb) = halve(w, h, &rgb);
    }
    let png = encode_indexed(w, h, &rgb).map_err(|e| format!("re-encoding: {e}"))?;
    Ok(Picture {
        width: w,
        height: h,
        png,
    })
}

/// Any PNG (grey, RGB, with alpha, palette, 16 bit) as 8-bit RGB; alpha is dropped, as
/// the charts are opaque.
fn decode_rgb(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let limits = png::Limits {
        bytes: MAX_DECODED_BYTES,
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let px = &buf[..info.buffer_size()];
    let rgb = match info.color_type {
        png::ColorType::Rgb => px.to_vec(),
        png::ColorType::Rgba => px
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
        png::ColorType::Grayscale => px.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => px.chunks_exact(2).flat_map(|p| [p[0]; 3]).collect(),
        png::ColorType::Indexed => return Err("palette not expanded".into()),
    };
    Ok((info.width, info.height, rgb))
}

/// Half the width and height, each output pixel the rounded mean of a 2×2 block (an odd
/// last row or column is dropped).
fn halve(w: u32, h: u32, rgb: &[u8]) -> (u32, u32, Vec<u8>) {
    let (w, nw, nh) = (w as usize, w as usize / 2, h as usize / 2);
    let mut out = Vec::with_capacity(nw * nh * 3);
    for y in 0..nh {
        let top = &rgb[2 * y * w * 3..(2 * y + 1) * w * 3];
        let bottom = &rgb[(2 * y + 1) * w * 3..(2 * y + 2) * w * 3];
        for x in 0..nw {
            for c in 0..3 {
                let i = 6 * x + c;
                let sum = u16::from(top[i])
                    + u16::from(top[i + 3])
                    + u16::from(bottom[i])
                    + u16::from(bottom[i + 3]);
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    (nw as u32, nh as u32, out)
}

/// RGB → palette of [`PALETTE`] colours → 8-bit indexed PNG. Palette images compress
/// best unfiltered; most pixels repeat a few colours, so lookups are cached.
fn encode_indexed(w: u32, h: u32, rgb: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let rgba: Vec<u8> = rgb
        .chunks_exact(3)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    let quant = color_quant::NeuQuant::new(10, PALETTE, &rgba);
    let mut cache = std::collections::HashMap::new();
    let indices: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| {
            *cache
                .entry([p[0], p[1], p[2]])
                .or_insert_with(|| quant.index_of(p) as u8)
        })
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(quant.color_map_rgb());
    enc.set_compression(png::Compression::Best);
    enc.set_filter(png::FilterType::NoFilter);
    let mut writer = enc.write_header()?;
    writer.write_image_data(&indices)?;
    writer.finish()?;
    Ok(out)
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    fn rgb_png(w: u32, h: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                data.extend_from_slice(&pixel(x, y));
            }
        }
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn wide_pictures_are_halved_and_keep_their_colours() {
        // Left half blue, right half white, 2000 × 40: halved once to 1000 (> 960), again to 500.
        let src = rgb_png(
            2000,
            40,
            |x, _| if x < 1000 { [0, 114, 178] } else { [255; 3] },
        );
        let p = shrink(&src).unwrap();
        assert_eq!((p.width, p.height), (500, 10));
        let (w, h, rgb) = decode_rgb(&p.png).unwrap();
        assert_eq!((w, h), (500, 10));
        let at = |x: usize| &rgb[3 * x..3 * x + 3];
        let near = |a: &[u8], b: [u8; 3]| a.iter().zip(b).all(|(&a, b)| a.abs_diff(b) <= 8);
        assert!(near(at(10), [0, 114, 178]), "{:?}", at(10));
        assert!(near(at(490), [255, 255, 255]), "{:?}", at(490));
        assert!(p.png.len() < src.len());
    }

    #[test]
    fn small_pictures_keep_their_size_and_bad_bytes_are_errors() {
        let p = shrink(&rgb_png(700, 3, |x, y| [x as u8, y as u8, 9])).unwrap();
        assert_eq!((p.width, p.height), (700, 3));
        assert!(shrink(b"not a png").is_err());
        assert!(p
            .data_uri()
            .starts_with("data:image/png;base64,iVBORw0KGgo"));
    }
}
