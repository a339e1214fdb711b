//! `cargo xtask`: the project's command line. See `cargo xtask --help`.

mod bench;
mod contract;
mod corpus;
mod features;
mod gen;
mod paging;

use clap::{Parser, Subcommand};

/// Generation allocates millions of small, short-lived objects (token trees, `syn` nodes,
/// strings); glibc's malloc/free took 35-40% of its cycles, and mimalloc cuts the whole of
/// `cargo xtask gen` on a large spec by about a quarter. Only this binary gets it: the `codegen`
/// library and the generated crates leave the choice of allocator to whoever links them, and the
/// C build it needs stays out of their dependencies.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    #[command(long_about = gen::LONG_ABOUT)]
    Gen(gen::GenArgs),
    /// Generate and build a crate for every spec of a directory (default: the shared corpus) and
    /// print a table; ends with `N passed, M failed`.
    Corpus(corpus::CorpusArgs),
    /// Contract tests against Stoplight Prism: call every operation of the configured specs through
    /// the generated client; ends with `contract: N passed, M failed, K skipped`.
    Contract(contract::ContractArgs),
    /// Build the configured clients that have cargo features per operation tag once with tag
    /// features off and once with each tag's feature alone; ends with `features: N passed, M failed`.
    Features(features::FeaturesArgs),
    /// Measure generation time per stage, generated code size, build time of the generated crates
    /// and client overhead; print the tables BENCHMARKS.md records.
    Bench(bench::BenchArgs),
    /// One spec's generation measurement (the child process of `bench`).
    #[command(hide = true)]
    BenchOne(bench::generate::BenchOneArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(args) => gen::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::Contract(args) => contract::run(args),
        Command::Features(args) => features::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchOne(args) => bench::run_one(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
