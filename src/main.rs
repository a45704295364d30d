/// The allocator of `labnote`: mimalloc. A course is read on every core at once, each thread
/// building thousands of small lists; glibc's per-thread arenas grew by one `mprotect` per
/// allocation past their top (~2,000 calls for a 2,000-lab course) and freed slowly across
/// threads. `labnote-credentials` (the command the AWS tools start) keeps the system's, which
/// starts with nothing to set up.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Die quietly on a closed pipe (`labnote labs | head`), like other command-line tools.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    labnote::locale::init();
    let cli = labnote::cli::parse();
    std::process::exit(labnote::cli::run(cli));
}
