//! What the crate logs during a test. One global `tracing` subscriber (installed on first use)
//! writes every event, `trace` included, to a buffer of the thread that logged it, while that
//! thread captures: a `#[tokio::test]` runs the app on its own thread, so parallel tests do not
//! see each other's lines. (A per-thread subscriber, `set_default`, loses events to tracing's
//! callsite cache when tests run in parallel.)

use std::cell::RefCell;
use std::io;
use std::sync::Once;

thread_local! {
    /// This thread's captured output, while it captures.
    static BUFFER: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// The log lines this thread writes while it lives.
pub(crate) struct Captured(());

/// Starts capturing this thread's log events.
pub(crate) fn capture() -> Captured {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(|| ThreadBuffer)
            .finish();
        // Another test binary's subscriber is not ours to replace; ours is set once per binary.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
    BUFFER.with(|buffer| *buffer.borrow_mut() = Some(Vec::new()));
    Captured(())
}

impl Captured {
    /// Everything this thread logged since [`capture`].
    pub(crate) fn text(&self) -> String {
        BUFFER.with(|buffer| {
            String::from_utf8_lossy(buffer.borrow().as_deref().unwrap_or_default()).into_owned()
        })
    }

    /// The lines logged so far.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.text().lines().map(str::to_owned).collect()
    }
}

impl Drop for Captured {
    fn drop(&mut self) {
        BUFFER.with(|buffer| *buffer.borrow_mut() = None);
    }
}

/// Writes to the logging thread's buffer, or nowhere when it does not capture.
struct ThreadBuffer;

impl io::Write for ThreadBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        BUFFER.with(|buffer| {
            if let Some(buffer) = buffer.borrow_mut().as_mut() {
                buffer.extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
