//! Compressing Parquet pages with zstd through one compression context per thread.
//!
//! Polars' page compressor calls `zstd::bulk::compress_to_buffer` for every page, which creates
//! a zstd context, allocates its working memory, compresses, and frees both; it also zero-fills
//! the output buffer first. A partition writes about 160 files of a few columns each, so most
//! pages are small and that setup was a third of all the time spent compressing. Here each
//! thread keeps one context at the same level and compresses every page with it: zstd resets the
//! session, not the parameters, between frames, so the bytes are the ones a fresh context writes
//! (test `same_bytes_as_a_fresh_context`). The measurement is in `docs/benchmarks.md` ("One zstd
//! context per thread", national benchmark).

use std::cell::RefCell;

use polars_parquet::parquet::CowBuffer;
use polars_parquet::parquet::compression::Compression;
use polars_parquet::parquet::error::{ParquetError, ParquetResult};
use polars_parquet::parquet::page::{CompressedDataPage, CompressedDictPage, DataPageHeader};
use polars_parquet::write::{CompressedPage, FallibleStreamingIterator, Page};

thread_local! {
    /// This thread's context and the level it was set to.
    static CONTEXT: RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> = const { RefCell::new(None) };
}

/// `input` compressed at `level`, appended to `out`.
fn compress_into(input: &[u8], level: i32, out: &mut Vec<u8>) -> ParquetResult<()> {
    let err = |e: std::io::Error| ParquetError::OutOfSpec(format!("zstd: {e}"));
    CONTEXT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.as_ref().is_none_or(|(l, _)| *l != level) {
            *slot = Some((level, zstd::bulk::Compressor::new(level).map_err(err)?));
        }
        let Some((_, compressor)) = slot.as_mut() else {
            return Err(ParquetError::OutOfSpec("zstd: no context".into()));
        };
        // The frame goes to the spare capacity of `frame`, sized for the worst case, without
        // zero-filling it first.
        let mut frame = Vec::with_capacity(zstd::zstd_safe::compress_bound(input.len()));
        compressor.compress_to_buffer(input, &mut frame).map_err(err)?;
        if out.is_empty() {
            *out = frame;
        } else {
            out.extend_from_slice(&frame);
        }
        Ok(())
    })
}

/// `page` compressed with zstd at `level`, as Polars' `Compressor` would compress it.
pub fn compress(page: Page, level: i32) -> ParquetResult<CompressedPage> {
    match page {
        Page::Data(page) => {
            let input = page.buffer();
            let mut out = Vec::new();
            match page.header() {
                DataPageHeader::V1(_) => compress_into(input, level, &mut out)?,
                // A version 2 page keeps its levels uncompressed, ahead of the values.
                DataPageHeader::V2(h) => {
                    let levels = (h.repetition_levels_byte_length + h.definition_levels_byte_length) as usize;
                    let levels = levels.min(input.len());
                    out.extend_from_slice(&input[..levels]);
                    compress_into(&input[levels..], level, &mut out)?;
                }
            }
            let num_rows = page
                .num_rows
                .ok_or_else(|| ParquetError::OutOfSpec("a page to write has no row count".into()))?;
            Ok(CompressedPage::Data(CompressedDataPage::new(
                page.header().clone(),
                CowBuffer::Owned(out),
                Compression::Zstd,
                input.len(),
                page.descriptor.clone(),
                num_rows,
            )))
        }
        Page::Dict(page) => {
            let mut out = Vec::new();
            compress_into(&page.buffer, level, &mut out)?;
            Ok(CompressedPage::Dict(CompressedDictPage::new(
                CowBuffer::Owned(out),
                Compression::Zstd,
                page.buffer.len(),
                page.num_values,
                page.is_sorted,
            )))
        }
    }
}

/// Pages already compressed, handed to Parquet's writer one at a time.
pub struct Ready {
    pages: std::vec::IntoIter<CompressedPage>,
    current: Option<CompressedPage>,
}

impl Ready {
    pub fn new(pages: Vec<CompressedPage>) -> Self {
        Self { pages: pages.into_iter(), current: None }
    }
}

impl FallibleStreamingIterator for Ready {
    type Item = CompressedPage;
    type Error = polars::prelude::PolarsError;

    fn advance(&mut self) -> Result<(), Self::Error> {
        self.current = self.pages.next();
        Ok(())
    }

    fn get(&self) -> Option<&CompressedPage> {
        self.current.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text that compresses, of `n` bytes.
    fn sample(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| b"PKM01,2025-01,kunjungan,"[(i * 7 + seed as usize) % 24].wrapping_add((i / 97) as u8))
            .collect()
    }

    /// The bytes of a reused context are those of a fresh one, page after page, whatever the
    /// sizes in between (an empty page included).
    #[test]
    fn same_bytes_as_a_fresh_context() {
        for (k, n) in [10_000usize, 0, 37, 1 << 20, 5_000].into_iter().enumerate() {
            let input = sample(n, k as u8);
            let mut reused = Vec::new();
            compress_into(&input, 1, &mut reused).expect("compress");
            let fresh = zstd::bulk::compress(&input, 1).expect("fresh");
            assert_eq!(reused, fresh, "page {k} of {n} bytes");
            assert_eq!(zstd::bulk::decompress(&reused, n.max(1)).expect("decompress"), input);
        }
        // Another level replaces the context.
        let input = sample(50_000, 3);
        let mut out = Vec::new();
        compress_into(&input, 3, &mut out).expect("compress");
        assert_eq!(out, zstd::bulk::compress(&input, 3).expect("fresh"));
    }

    /// What is already in the buffer stays ahead of the frame.
    #[test]
    fn appends_after_a_prefix() {
        let input = sample(4_000, 1);
        let mut out = vec![1, 2, 3];
        compress_into(&input, 1, &mut out).expect("compress");
        assert_eq!(&out[..3], &[1, 2, 3]);
        assert_eq!(&out[3..], zstd::bulk::compress(&input, 1).expect("fresh").as_slice());
    }
}
