//! Mutations of an input, as a careless user and a mutation fuzzer make them: bits flipped,
//! bytes set, the file cut, lines deleted, duplicated or swapped, numbers replaced by extreme
//! ones (0, -1, 1e308, NaN, i64::MAX...), long strings inserted, a piece of the file spliced
//! elsewhere.

use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// Numbers that break readers and arithmetic.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "1e308",
    "-1e308",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "2147483648",
    "4294967296",
    "100000000",
    "1e17",
    "0.5",
    "1e-300",
    "99999999999999999999999",
    "",
];

/// One to four mutations of `input`.
pub fn mutate(input: &[u8], rng: &mut Pcg64Mcg) -> Vec<u8> {
    let mut out = input.to_vec();
    let n = 1 + rng.random_range(0..4usize);
    for _ in 0..n {
        once(&mut out, rng);
    }
    out
}

/// The start of each line of `bytes` (0 included).
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(k, _)| k + 1),
        )
        .filter(|&k| k < bytes.len())
        .collect()
}

/// The byte range of a random line (with its newline).
fn random_line(bytes: &[u8], rng: &mut Pcg64Mcg) -> Option<(usize, usize)> {
    let starts = line_starts(bytes);
    if starts.is_empty() {
        return None;
    }
    let k = rng.random_range(0..starts.len());
    let end = starts.get(k + 1).copied().unwrap_or(bytes.len());
    Some((starts[k], end))
}

/// The byte ranges of the numbers of `bytes` (digits with an optional sign, point and exponent).
fn numbers(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k].is_ascii_digit() {
            let mut start = k;
            if start > 0 && bytes[start - 1] == b'-' {
                start -= 1;
            }
            while k < bytes.len()
                && (bytes[k].is_ascii_digit() || matches!(bytes[k], b'.' | b'e' | b'E'))
            {
                k += 1;
            }
            out.push((start, k));
        } else {
            k += 1;
        }
    }
    out
}

fn once(b: &mut Vec<u8>, rng: &mut Pcg64Mcg) {
    if b.is_empty() {
        b.extend_from_slice(NUMBERS[rng.random_range(0..NUMBERS.len())].as_bytes());
        return;
    }
    let len = b.len();
    match rng.random_range(0..11u32) {
        0 => {
            let k = rng.random_range(0..len);
            b[k] ^= 1 << rng.random_range(0..8u32);
        }
        1 => {
            let k = rng.random_range(0..len);
            b[k] = [0u8, 0xff, 0x7f, 0x80, b'-', b',', b'"', b'\n'][rng.random_range(0..8usize)];
        }
        2 => b.truncate(rng.random_range(0..len)),
        3 => {
            if let Some((s, e)) = random_line(b, rng) {
                b.drain(s..e);
            }
        }
        4 => {
            if let Some((s, e)) = random_line(b, rng) {
                let line = b[s..e].to_vec();
                let times = 1 + rng.random_range(0..3usize);
                for _ in 0..times {
                    b.splice(e..e, line.iter().copied());
                }
            }
        }
        5..=7 => {
            let nums = numbers(b);
            if nums.is_empty() {
                let k = rng.random_range(0..len);
                b[k] = rng.random::<u8>();
            } else {
                let (s, e) = nums[rng.random_range(0..nums.len())];
                let with = NUMBERS[rng.random_range(0..NUMBERS.len())];
                b.splice(s..e, with.bytes());
            }
        }
        8 => {
            let k = rng.random_range(0..=len);
            let filler: &[u8] = [
                b"a".as_slice(),
                b"9",
                b" ",
                b"\xff",
                b"{",
                b"[",
                b"\"",
                b"\n",
            ][rng.random_range(0..8usize)];
            let count = [10usize, 1_000, 100_000][rng.random_range(0..3usize)];
            b.splice(k..k, filler.iter().copied().cycle().take(count));
        }
        9 => {
            if let (Some(x), Some(y)) = (random_line(b, rng), random_line(b, rng)) {
                let (first, second) = if x.0 <= y.0 { (x, y) } else { (y, x) };
                if first.1 <= second.0 {
                    let a = b[first.0..first.1].to_vec();
                    let c = b[second.0..second.1].to_vec();
                    b.splice(second.0..second.1, a);
                    b.splice(first.0..first.1, c);
                }
            }
        }
        _ => {
            let s = rng.random_range(0..len);
            let e = (s + 1 + rng.random_range(0..64usize)).min(len);
            let piece = b[s..e].to_vec();
            let at = rng.random_range(0..=b.len());
            if rng.random::<bool>() {
                b.drain(s..e);
            } else {
                b.splice(at..at, piece);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn numbers_are_found_with_their_sign_and_exponent() {
        let t = b"a -12 3.5e7 x9";
        let n: Vec<&[u8]> = numbers(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(n, [&b"-12"[..], b"3.5e7", b"9"]);
    }

    #[test]
    fn mutations_change_the_input_and_are_deterministic() {
        let seed = b"NAME : x\nDIMENSION : 3\nCAPACITY : 10\n".to_vec();
        let run = || {
            let mut rng = Pcg64Mcg::seed_from_u64(5);
            (0..200)
                .map(|_| mutate(&seed, &mut rng))
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        assert!(a.iter().filter(|m| **m != seed).count() > 150);
        assert!(mutate(b"", &mut Pcg64Mcg::seed_from_u64(1)).len() < 30);
    }
}
