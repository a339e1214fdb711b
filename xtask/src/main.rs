//! `cargo xtask`: the project's command line. See `cargo xtask --help`.

mod corpus;
mod gen;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks: generate clients from OpenAPI specs.",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate client crates from OpenAPI specs.
    Gen(gen::GenArgs),
    /// Generate and build a crate for every spec of a directory (default: the shared corpus) and
    /// print a table; ends with `N passed, M failed`.
    Corpus(corpus::CorpusArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(args) => gen::run(args),
        Command::Corpus(args) => corpus::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
