//! Ctrl-C: the first one raises a flag that the simulation checks between batches and
//! the output set checks before every file and before the switch, so an interrupted
//! command exits 130 and leaves its output directory as it was.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The process-wide Ctrl-C flag; the handler is installed on first use.
pub fn flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let raised = flag.clone();
        // Later Ctrl-Cs only raise the flag again; a stuck process is ended by SIGKILL,
        // and whatever it staged is removed by the next run into its directory.
        let _ = ctrlc::set_handler(move || raised.store(true, Ordering::SeqCst));
        flag
    })
    .clone()
}

/// Whether Ctrl-C was pressed.
pub fn raised() -> bool {
    flag().load(Ordering::SeqCst)
}
