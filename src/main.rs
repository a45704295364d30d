fn main() {
    // Die quietly on a closed pipe (`labnote labs | head`), like other command-line tools.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    labnote::locale::init();
    let cli = labnote::cli::parse();
    std::process::exit(labnote::cli::run(cli));
}
