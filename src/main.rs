fn main() -> std::process::ExitCode {
    tournee::cli::main()
}
