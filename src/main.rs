//! The `planrisk` command: parses arguments and hands each subcommand to its module.
//! Exit codes: 0 success, 2 user error (bad file or flag), 1 internal error.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
