//! `smithy-gen`: generate a Rust client crate from Smithy model files (JSON AST or IDL).

use clap::Parser;
use smithy_gen::{build, Layout, Manifest, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

// Generation allocates and frees many small token trees: mimalloc is markedly faster at that
// than the system allocator (the library leaves the choice to the program using it).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate a Rust client from Smithy models (JSON AST `.json` or IDL `.smithy`).
#[derive(Parser, Debug)]
#[command(name = "smithy-gen", version)]
struct Cli {
    /// Model files or directories (`.json` JSON AST, `.smithy` IDL, mixed).
    #[arg(required = true)]
    models: Vec<PathBuf>,
    /// Output directory (required unless --idl is given).
    #[arg(short, long, required_unless_present = "idl")]
    out: Option<PathBuf>,
    /// Print the model as Smithy IDL 2.0 instead of generating code.
    #[arg(long)]
    idl: bool,
    /// Generate only these operations (repeatable); default: all.
    #[arg(long = "operation")]
    operations: Vec<String>,
    /// The service shape ID, when the model has several services.
    #[arg(long)]
    service: Option<String>,
    /// Write a Cargo.toml with this package name.
    #[arg(long)]
    package: Option<String>,
    /// The runtime dependency for Cargo.toml, e.g. '{ path = "../runtime" }'.
    #[arg(long, default_value = "\"0.1\"")]
    runtime: String,
    /// Emit one file with inline modules (for include!) instead of a crate.
    #[arg(long)]
    single_file: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(written) => {
            for path in written {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> smithy_gen::Result<Vec<PathBuf>> {
    let sources = build::read_sources(&cli.models)?;
    if cli.idl {
        for (namespace, text) in smithy_gen::to_idl(&sources)? {
            println!("// namespace {namespace}\n{text}");
        }
        return Ok(Vec::new());
    }
    let model = smithy_gen::load(&sources)?;
    let settings = Settings {
        service: cli.service.clone(),
        operations: (!cli.operations.is_empty()).then(|| cli.operations.clone()),
        layout: if cli.single_file {
            Layout::SingleFile
        } else {
            Layout::Crate
        },
        manifest: cli.package.as_ref().map(|name| Manifest {
            package_name: name.clone(),
            runtime_dependency: cli.runtime.clone(),
            extra_package_lines: Vec::new(),
        }),
        threads: None,
        ..Settings::default()
    };
    let files = smithy_gen::generate(&model, &settings)?;
    let out = cli.out.clone().unwrap_or_default();
    build::write_files(&out, &files)
}
