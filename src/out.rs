//! Output that survives a closed pipe. `synfin list | head -1` closes synfin's stdout early; Rust
//! ignores SIGPIPE, so `println!` would panic ("failed printing to stdout: Broken pipe"). Here a
//! write to a closed stdout ends the process at once, quietly, with exit status 141 (128 +
//! SIGPIPE), the status a Unix tool killed by SIGPIPE reports. Other write errors end it with
//! status 1 and a message. Diagnostics on stderr are best effort: a closed stderr is ignored.

use std::io::{ErrorKind, Write};

/// The exit status of a command whose reader closed the pipe early.
pub const CLOSED_PIPE: i32 = 141;

/// Writes `args` to stdout.
pub fn write(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        fail(e);
    }
}

/// Writes `bytes` to stdout.
pub fn write_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        fail(e);
    }
}

fn fail(e: std::io::Error) -> ! {
    if e.kind() == ErrorKind::BrokenPipe {
        std::process::exit(CLOSED_PIPE);
    }
    let _ = writeln!(std::io::stderr(), "error: cannot write to stdout: {e}");
    std::process::exit(1);
}

/// Writes `args` to stderr, ignoring a closed stderr.
pub fn note(args: std::fmt::Arguments) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    () => { $crate::out::write(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::write(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($t:tt)*) => { $crate::out::write(format_args!($($t)*)) };
}

/// `eprintln!` that ignores a closed stderr.
macro_rules! errln {
    ($($t:tt)*) => { $crate::out::note(format_args!("{}\n", format_args!($($t)*))) };
}
