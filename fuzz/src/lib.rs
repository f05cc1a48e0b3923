//! What every fuzz binary shares: an allocator that counts, so that each input is held to a
//! budget of heap memory — "no allocation beyond the documented limits" checked per input, not
//! only libFuzzer's `-malloc_limit_mb` on single allocations and `-rss_limit_mb` on the process.
//!
//! The budget is the most the heap may grow (at its peak) while one input runs, above what was
//! live before it: [`BUDGET`] plus [`PER_INPUT_BYTE`] for each byte of the input. The first
//! inputs of a run also build the targets' fixtures (keys, routers, runtimes), kept for the rest
//! of the run: those are held to [`FIRST_BUDGET`]. Set `PASETO_FUZZ_ALLOC=report` to print each
//! new largest peak (how the budgets were chosen: the README's "Fuzzing").

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Heap growth allowed for one input, beyond [`PER_INPUT_BYTE`] per input byte.
pub const BUDGET: usize = 4 << 20;
/// Heap growth allowed per byte of the input.
pub const PER_INPUT_BYTE: usize = 64;
/// Heap growth allowed while the fixtures are built (the first inputs of a run).
pub const FIRST_BUDGET: usize = 64 << 20;
/// How many inputs count as the first.
const FIRST_INPUTS: usize = 64;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static RUNS: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);
static REPORT: AtomicBool = AtomicBool::new(false);

// SAFETY: every call is forwarded to the system allocator unchanged; the counters are atomics
// updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the system allocator's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `run` on `data`, then fails (panics) when the heap grew past the input's budget.
pub fn measured(data: &[u8], run: fn(&[u8])) {
    let runs = RUNS.fetch_add(1, Ordering::Relaxed);
    if runs == 0 {
        REPORT.store(
            std::env::var("PASETO_FUZZ_ALLOC").is_ok_and(|v| v == "report"),
            Ordering::Relaxed,
        );
    }
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    run(data);
    let growth = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let budget = if runs < FIRST_INPUTS {
        FIRST_BUDGET
    } else {
        BUDGET + PER_INPUT_BYTE * data.len()
    };
    if REPORT.load(Ordering::Relaxed) && runs >= FIRST_INPUTS {
        let largest = LARGEST.fetch_max(growth, Ordering::Relaxed);
        if growth > largest {
            eprintln!("alloc: new largest peak {growth} bytes (input of {} bytes)", data.len());
        }
    }
    assert!(
        growth <= budget,
        "one input of {} bytes grew the heap by {growth} bytes, over its budget of {budget}",
        data.len()
    );
}
