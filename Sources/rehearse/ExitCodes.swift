import ArgumentParser

/// Exit codes, defined once: 0 ok, 1 an expectation failed, 2 invalid input or environment,
/// 130 interrupted (the shell's convention for SIGINT).
enum ExitCodes {
    static let expectationFailed = ExitCode(1)
    static let invalidInput = ExitCode(2)
    static let interrupted = ExitCode(130)
}
