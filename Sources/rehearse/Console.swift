import ArgumentParser
import Foundation

/// Standard output and standard error, written with `write(2)` so that a full disk, a closed
/// pipe or `/dev/full` is an error the command handles, never a crash.
///
/// A failed write of what a command was asked to print (its summary, its report) makes the
/// command exit 2; a failed write of an error message is dropped, since there is nowhere left
/// to say it.
enum Console {
    /// Writes all of `text` to a file descriptor; false if the system refused part of it.
    static func write(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        bytes.removeAll()
        return true
    }

    /// Prints to standard output; a failed write is exit 2, said on standard error if it can be.
    static func out(_ text: String, terminator: String = "\n") throws {
        guard write(text + terminator, to: STDOUT_FILENO) else {
            let reason = String(cString: strerror(errno))
            err("error: could not write to standard output (\(reason)); the results on disk are complete")
            throw ExitCodes.invalidInput
        }
    }

    /// Prints a line to standard error, ignoring a failure (there is nowhere else to report it).
    static func err(_ text: String) {
        _ = write(text + "\n", to: STDERR_FILENO)
    }
}

/// Writes a line to standard error.
func printError(_ text: String) { Console.err(text) }
