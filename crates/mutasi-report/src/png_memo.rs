//! PNGs already drawn in this month's build, by their chart's SVG.
//!
//! A month's reports share charts: the city's report and the Health Office's show the same
//! Puskesmas service series and staff counts. A chart's SVG and PNG are drawn by the same calls
//! of the same figure, in whole pixels, so two charts with the same SVG text have the same PNG:
//! the second is linked to the first (copied where the file system has no links) instead of
//! being rasterised and compressed again. The memo is per thread (a partition's month is built
//! on one thread) and alive only inside a [`PngMemo`] scope; outside one every chart is drawn.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

thread_local! {
    /// SVG text → the PNG drawn for it; `None` outside a scope.
    static DRAWN: RefCell<Option<HashMap<String, PathBuf>>> = const { RefCell::new(None) };
}

/// While alive, a chart whose SVG was drawn before on this thread gets that PNG. A scope opened
/// inside another shares its memo; the outermost one forgets every PNG when it ends.
#[must_use = "the memo lives as long as the scope value"]
pub struct PngMemo {
    owner: bool,
    _not_send: std::marker::PhantomData<Rc<()>>,
}

impl PngMemo {
    pub fn scope() -> PngMemo {
        let owner = DRAWN.with(|d| {
            let mut d = d.borrow_mut();
            d.is_none().then(|| *d = Some(HashMap::new())).is_some()
        });
        PngMemo { owner, _not_send: std::marker::PhantomData }
    }
}

impl Drop for PngMemo {
    fn drop(&mut self) {
        if self.owner {
            DRAWN.with(|d| *d.borrow_mut() = None);
        }
    }
}

/// Puts the PNG of the chart whose SVG is `svg` at `path`: the PNG drawn earlier in the scope for
/// the same SVG, linked or copied, or else `draw(path)`, remembered for the next chart.
pub fn png<E>(svg: &str, path: &Path, draw: impl FnOnce(&Path) -> Result<(), E>) -> Result<(), E> {
    let earlier = DRAWN.with(|d| d.borrow().as_ref().and_then(|m| m.get(svg).cloned()));
    if let Some(earlier) = earlier {
        let _ = std::fs::remove_file(path);
        if std::fs::hard_link(&earlier, path).is_ok() || std::fs::copy(&earlier, path).is_ok() {
            return Ok(());
        }
    }
    draw(path)?;
    DRAWN.with(|d| {
        if let Some(m) = d.borrow_mut().as_mut() {
            m.insert(svg.to_string(), path.to_path_buf());
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Draws a file holding `text`, counting the draws.
    fn drawer<'a>(count: &'a Cell<u32>, text: &'a str) -> impl FnOnce(&Path) -> std::io::Result<()> + 'a {
        move |p: &Path| {
            count.set(count.get() + 1);
            std::fs::write(p, text)
        }
    }

    #[test]
    fn the_same_svg_is_drawn_once_per_scope() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = |name: &str| dir.path().join(name);
        let read = |name: &str| std::fs::read_to_string(at(name)).expect("read");
        let draws = Cell::new(0);
        {
            let _memo = PngMemo::scope();
            png("<svg a/>", &at("a.png"), drawer(&draws, "A")).expect("a");
            png("<svg a/>", &at("a2.png"), drawer(&draws, "other")).expect("a again");
            assert_eq!((draws.get(), read("a2.png")), (1, "A".to_string()), "linked, not drawn");
            png("<svg b/>", &at("b.png"), drawer(&draws, "B")).expect("b");
            assert_eq!(draws.get(), 2, "another SVG is drawn");
            {
                let _inner = PngMemo::scope();
                png("<svg b/>", &at("b2.png"), drawer(&draws, "other")).expect("b again");
            }
            assert_eq!((draws.get(), read("b2.png")), (2, "B".to_string()), "an inner scope shares the memo");
            // An existing file is replaced; a remembered PNG that is gone is drawn again.
            png("<svg b/>", &at("a.png"), drawer(&draws, "other")).expect("over a");
            assert_eq!(read("a.png"), "B");
            std::fs::remove_file(at("b.png")).expect("rm");
            std::fs::remove_file(at("b2.png")).expect("rm");
            std::fs::remove_file(at("a.png")).expect("rm");
            png("<svg b/>", &at("c.png"), drawer(&draws, "C")).expect("c");
            assert_eq!((draws.get(), read("c.png")), (3, "C".to_string()));
        }
        // Outside a scope every chart is drawn.
        png("<svg c/>", &at("d.png"), drawer(&draws, "D")).expect("d");
        png("<svg c/>", &at("e.png"), drawer(&draws, "E")).expect("e");
        assert_eq!((draws.get(), read("e.png")), (5, "E".to_string()));
    }
}
