use clap::Parser;

fn main() {
    let cli = labnote::cli::Cli::parse();
    std::process::exit(labnote::cli::run(cli));
}
