//! A per-thread memo of decoded Parquet tables, alive only inside a [`ReadCache`] scope.
//!
//! The analyses of one monthly run read the same validated files many times: `mutasi.parquet`
//! about twenty times, the kinerja presence twice, every outcome's panel from the same kinerja
//! columns. Inside a scope each distinct read (file, columns, filter) is decoded once and shared;
//! outside one nothing is kept, so a caller that does not open a scope sees plain reads. Inside a
//! scope a table written with [`super::table::write_parquet`] is kept as reading it back would
//! give it, and a read of some columns of a file already held wider (or whole) is taken from
//! that table instead of decoding the file again.
//!
//! A file is known by its path, inode, size and modification time: a file replaced in between
//! (outputs are written to a temporary file and renamed into place) is read again. The memo
//! belongs to a thread because a partition runs on its own thread; a helper thread the month's
//! analyses start enters the same memo ([`ReadCache::enter`]), and reads on other threads (rayon
//! workers) are plain reads.
//!
//! Why it stays (issue 32 asks to retire it): the readers of the kinerja table as Polars queries
//! over the file instead, measured side by side, took the large instansi from 120–132 s to
//! 165.6 s and twenty partitions from 45–58 s to 68–94 s of CPU, over the national guard's 5 %
//! (`docs/benchmarks.md`, "issue 32, third stop"; the code is on `wip/issue32-kinerja-queries`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::table::{TableData, TableError};

/// What identifies one read: the file as it is now, the columns and the row filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    path: PathBuf,
    inode: u64,
    len: u64,
    modified_ns: i128,
    columns: Option<Vec<String>>,
    filter: Option<(String, Vec<String>)>,
}

type Memo = HashMap<Key, Arc<TableData>>;

thread_local! {
    /// The memo of the scope this thread is in; `None` outside a scope.
    static MEMO: RefCell<Option<Arc<Mutex<Memo>>>> = const { RefCell::new(None) };
}

/// This thread's memo, if it is in a scope.
fn current() -> Option<Arc<Mutex<Memo>>> {
    MEMO.with(|m| m.borrow().clone())
}

/// The memo, locked. A thread that panicked while holding it left whole tables in it (a table is
/// inserted or removed in one step), so a poisoned lock is still a usable memo.
fn lock(memo: &Mutex<Memo>) -> MutexGuard<'_, Memo> {
    memo.lock().unwrap_or_else(PoisonError::into_inner)
}

/// While alive, reads of the same file, columns and filter on this thread (and on the threads
/// that [`ReadCache::enter`] its [`ReadCache::handle`]) are decoded once. A scope opened inside
/// another shares its memo; the outermost one lets go of every table when it ends.
#[must_use = "the memo lives as long as the scope value"]
pub struct ReadCache {
    /// This scope set this thread's memo, and unsets it when dropped.
    owner: bool,
    _not_send: std::marker::PhantomData<std::rc::Rc<()>>,
}

/// A scope's memo, to be entered by a helper thread: the month's analyses run side by side and
/// read the same validated tables once between them.
#[derive(Clone)]
pub struct Handle(Arc<Mutex<Memo>>);

impl ReadCache {
    pub fn scope() -> ReadCache {
        Self::open(|| Arc::new(Mutex::new(HashMap::new())))
    }

    /// The memo of the scope this thread is in, for another thread to [`ReadCache::enter`].
    pub fn handle() -> Option<Handle> {
        current().map(Handle)
    }

    /// Puts this thread in the scope of `handle` (another thread's): until the returned value
    /// is dropped, its reads share that memo. A thread already in a scope keeps its own.
    pub fn enter(handle: &Handle) -> ReadCache {
        Self::open(|| handle.0.clone())
    }

    fn open(memo: impl FnOnce() -> Arc<Mutex<Memo>>) -> ReadCache {
        let owner = MEMO.with(|m| {
            let mut m = m.borrow_mut();
            m.is_none().then(|| *m = Some(memo())).is_some()
        });
        ReadCache { owner, _not_send: std::marker::PhantomData }
    }
}

impl Drop for ReadCache {
    fn drop(&mut self) {
        if self.owner {
            MEMO.with(|m| *m.borrow_mut() = None);
        }
    }
}

fn key(path: &Path, columns: Option<&[&str]>, filter: Option<(&str, &[&str])>) -> Option<Key> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(Key {
        path: path.to_path_buf(),
        inode: meta.ino(),
        len: meta.len(),
        modified_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        columns: columns.map(|c| c.iter().map(|s| s.to_string()).collect()),
        filter: filter.map(|(c, v)| (c.to_string(), v.iter().map(|s| s.to_string()).collect())),
    })
}

/// The table `read` decodes, from the memo when this thread is in a scope and the same read was
/// made before. Errors are never kept. The memo is not locked while a table is decoded or
/// derived: two threads making the same read at once both decode it, and keep the first.
pub fn shared(
    path: &Path,
    columns: Option<&[&str]>,
    filter: Option<(&str, &[&str])>,
    read: impl FnOnce() -> Result<TableData, TableError>,
) -> Result<Arc<TableData>, TableError> {
    let Some((memo, k)) = current().and_then(|m| Some((m, key(path, columns, filter)?))) else {
        return read().map(Arc::new);
    };
    let source = {
        let held = lock(&memo);
        if let Some(hit) = held.get(&k) {
            return Ok(hit.clone());
        }
        columns.and_then(|c| {
            let needed: Vec<&str> = c.iter().copied().chain(filter.map(|f| f.0)).collect();
            narrowest_holding(&held, &k, &needed).cloned()
        })
    };
    // `columns` of the rows `filter` keeps, taken from a table of the same file the memo holds:
    // the window analyses, the movement tables and the gates read subsets of what the
    // validation wrote, and selecting them costs a copy where decoding costs the whole file.
    // Every candidate gives the same table ([`TableData::derive`]).
    let derived = source.zip(columns).and_then(|(t, c)| t.derive(c, filter));
    let table = match derived {
        Some(t) => Arc::new(t),
        None => Arc::new(read()?),
    };
    Ok(lock(&memo).entry(k).or_insert(table).clone())
}

/// True while this thread is in a scope.
pub fn active() -> bool {
    MEMO.with(|m| m.borrow().is_some())
}

/// Keeps `table` as the read of every column of `path` as the file is now, when this thread is
/// in a scope: the writer of a file knows what reading it back gives.
pub fn keep(path: &Path, table: TableData) {
    keep_shared(path, Arc::new(table));
}

/// [`keep`] for a table already shared, e.g. one file linked under a second name: no copy.
pub fn keep_shared(path: &Path, table: Arc<TableData>) {
    if let Some((memo, k)) = current().and_then(|m| Some((m, key(path, None, None)?))) {
        lock(&memo).insert(k, table);
    }
}

/// Drops every read of `path` from this thread's memo (a table still shared elsewhere, e.g. under
/// a linked file's name, stays alive there): a month frees the validated kinerja table once the
/// case studies' scoped copies are written, instead of holding it to the month's end.
pub fn forget(path: &Path) {
    keep_only(|p| p != path);
}

/// Drops from this thread's memo every read of a file for which `wanted` is false: a case study
/// keeps only the validated tables it copies its scope from, not the month's own analysis
/// outputs (the monthly report has read them; a later one decodes them again).
pub fn keep_only(wanted: impl Fn(&Path) -> bool) {
    if let Some(memo) = current() {
        lock(&memo).retain(|k, _| wanted(&k.path));
    }
}

/// A table of the memo read from `path` as it is now, without a filter, holding every one of
/// `columns` ([`narrowest_holding`]).
pub fn holding(path: &Path, columns: &[&str]) -> Option<Arc<TableData>> {
    let memo = current()?;
    let k = key(path, None, None)?;
    narrowest_holding(&lock(&memo), &k, columns).cloned()
}

/// The memo's table of the file `k` names, as it is now, read without a filter and holding every
/// one of `columns`. Among several, the one with the fewest columns (ties by their names), so the
/// choice does not depend on the memo's order.
fn narrowest_holding<'m>(memo: &'m Memo, k: &Key, columns: &[&str]) -> Option<&'m Arc<TableData>> {
    let same_file =
        |o: &Key| o.path == k.path && o.inode == k.inode && o.len == k.len && o.modified_ns == k.modified_ns;
    memo.iter()
        .filter(|(o, t)| same_file(o) && o.filter.is_none() && columns.iter().all(|c| t.get(c).is_some()))
        .min_by_key(|(o, t)| (t.columns.len(), o.columns.clone()))
        .map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::ColumnData;

    fn table(v: i64) -> TableData {
        let mut t = TableData::default();
        t.push("x", ColumnData::I64(vec![Some(v)]));
        t
    }

    /// Inside a scope, a narrower read of a file already read wider is taken from the memo; a
    /// read needing a column the memo lacks, or of a file replaced since, is decoded.
    #[test]
    fn narrower_reads_come_from_a_wider_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("a.parquet");
        std::fs::write(&f, b"one").expect("write");
        let wide = || {
            let mut t = table(5);
            t.push(
                "k",
                ColumnData::Dict { values: vec!["a".into()], codes: super::super::table::cs(&[Some(0)]) },
            );
            t
        };
        let calls = std::cell::Cell::new(0);
        let read = |t: TableData| {
            calls.set(calls.get() + 1);
            Ok(t)
        };
        let _scope = ReadCache::scope();
        let held = shared(&f, Some(&["x", "k"]), None, || read(wide())).expect("read");
        // A caller content with more columns gets the wider table itself.
        assert!(holding(&f, &["k"]).is_some_and(|t| Arc::ptr_eq(&t, &held)));
        assert!(holding(&f, &["k", "y"]).is_none());
        let narrow = shared(&f, Some(&["x"]), Some(("k", &["a"])), || read(table(0))).expect("read");
        assert_eq!(calls.get(), 1, "taken from the wider read");
        assert_eq!(*narrow, wide(), "x, then the filter column");
        shared(&f, Some(&["y"]), None, || read(table(1))).expect("read");
        assert_eq!(calls.get(), 2, "a column the memo lacks");
        let g = dir.path().join("b.tmp");
        std::fs::write(&g, b"second version").expect("write");
        std::fs::rename(&g, &f).expect("rename");
        shared(&f, Some(&["x"]), None, || read(table(2))).expect("read");
        assert_eq!(calls.get(), 3, "a replaced file");
    }

    /// A forgotten file is decoded again on its next read, and its table is freed unless
    /// something else still holds it; other files stay.
    #[test]
    fn a_forgotten_file_is_read_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (f, g) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
        std::fs::write(&f, b"one").expect("write");
        std::fs::write(&g, b"two").expect("write");
        let calls = std::cell::Cell::new(0);
        let read = |v| {
            calls.set(calls.get() + 1);
            Ok(table(v))
        };
        let _scope = ReadCache::scope();
        let a = shared(&f, None, None, || read(1)).expect("read");
        shared(&f, Some(&["x"]), None, || read(1)).expect("read");
        shared(&g, None, None, || read(2)).expect("read");
        assert_eq!(Arc::strong_count(&a), 2, "the memo and this test");
        forget(&f);
        assert_eq!(Arc::strong_count(&a), 1, "only this test holds it now");
        assert!(holding(&f, &["x"]).is_none());
        shared(&f, None, None, || read(3)).expect("read");
        shared(&g, None, None, || read(4)).expect("read");
        assert_eq!(calls.get(), 3, "two first reads (x is taken from the whole), then the forgotten file");
        keep_only(|p| p == f);
        shared(&f, None, None, || read(5)).expect("read");
        shared(&g, None, None, || read(6)).expect("read");
        assert_eq!(calls.get(), 4, "only the file kept is not read again");
    }

    /// A thread that enters another's scope shares its memo: what one decoded the other takes,
    /// in either direction. Leaving it does not clear the memo, and once the owner's scope ends
    /// a handle taken before keeps nothing new for the owner's thread.
    #[test]
    fn a_helper_thread_shares_the_scope_it_enters() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (f, g) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
        std::fs::write(&f, b"one").expect("write");
        std::fs::write(&g, b"two").expect("write");
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let read = |v| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(table(v))
        };
        assert!(ReadCache::handle().is_none(), "no scope, no handle");
        let scope = ReadCache::scope();
        let a = shared(&f, None, None, || read(1)).expect("read");
        let handle = ReadCache::handle().expect("in a scope");
        let b = std::thread::scope(|s| {
            s.spawn(|| {
                // Without entering, a thread makes plain reads.
                shared(&f, None, None, || read(9)).expect("read");
                let _entered = ReadCache::enter(&handle);
                let b = shared(&f, None, None, || read(2)).expect("read");
                shared(&g, None, None, || read(3)).expect("read");
                b
            })
            .join()
            .expect("helper")
        });
        assert!(Arc::ptr_eq(&a, &b), "the helper took the owner's table");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3, "f once, f outside the scope, g");
        assert_eq!(*shared(&g, None, None, || read(4)).expect("read"), table(3), "the helper's read is kept");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
        drop(scope);
        shared(&g, None, None, || read(5)).expect("read");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 4, "the scope ended");
    }

    #[test]
    fn reads_once_inside_a_scope_and_never_outside() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("a.parquet");
        std::fs::write(&f, b"one").expect("write");
        let calls = std::cell::Cell::new(0);
        let read = |v| {
            calls.set(calls.get() + 1);
            Ok(table(v))
        };
        // No scope: every read decodes.
        shared(&f, None, None, || read(1)).expect("read");
        shared(&f, None, None, || read(1)).expect("read");
        assert_eq!(calls.get(), 2);
        {
            let _scope = ReadCache::scope();
            let a = shared(&f, None, None, || read(1)).expect("read");
            let b = shared(&f, None, None, || read(2)).expect("read");
            assert_eq!(calls.get(), 3, "the second read came from the memo");
            assert!(Arc::ptr_eq(&a, &b));
            // Columns the memo lacks, or another filter over every column, are other reads.
            shared(&f, Some(&["z"]), None, || read(3)).expect("read");
            shared(&f, None, Some(("x", &["1"])), || read(4)).expect("read");
            assert_eq!(calls.get(), 5);
            // A file replaced in between is read again.
            let g = dir.path().join("b.tmp");
            std::fs::write(&g, b"second version").expect("write");
            std::fs::rename(&g, &f).expect("rename");
            let c = shared(&f, None, None, || read(6)).expect("read");
            assert_eq!(calls.get(), 6);
            assert_eq!(*c, table(6));
            // A nested scope shares the memo and does not clear it when it ends.
            {
                let _inner = ReadCache::scope();
                shared(&f, None, None, || read(7)).expect("read");
            }
            shared(&f, None, None, || read(8)).expect("read");
            assert_eq!(calls.get(), 6);
            // Errors are not kept.
            assert!(
                shared(&f, Some(&["y"]), None, || Err(TableError::DanglingCode { path: f.clone() })).is_err()
            );
            shared(&f, Some(&["y"]), None, || read(9)).expect("read");
            assert_eq!(calls.get(), 7);
        }
        // The scope ended: nothing is kept.
        shared(&f, None, None, || read(10)).expect("read");
        assert_eq!(calls.get(), 8);
    }
}
