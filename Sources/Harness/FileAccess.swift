import Foundation
import ScenarioKit

/// Reading scenario files and making report folders with errors a user can act on: what is
/// wrong and where, in plain words, never a Foundation error text.
public enum FileAccess {
    /// The largest scenario file read (a scenario is a page of YAML; 16 MiB is generous).
    public static let scenarioBytesMax = 16 << 20

    /// The text of a scenario file, which must be a regular file of UTF-8 (a UTF-8 byte-order
    /// mark is skipped). Otherwise a reason such as "byte 0xE9 at line 3, column 9 is not UTF-8".
    public static func readText(_ path: String) throws(HarnessError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .cannotRead(path: path, reason: reason(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            throw .cannotRead(
                path: path,
                reason:
                    "it is a folder; give a scenario file (.yaml), or use `rehearse check \(path)` to run every scenario in it"
            )
        default:
            throw .cannotRead(
                path: path,
                reason: "it is not a regular file (a device, a pipe or a socket); give a scenario file (.yaml)")
        }
        guard Int(info.st_size) <= scenarioBytesMax else {
            throw .cannotRead(
                path: path,
                reason: "it is \(info.st_size >> 20) MiB; a scenario file is at most \(scenarioBytesMax >> 20) MiB")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotRead(path: path, reason: reason(errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: reason(errno))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= scenarioBytesMax else {
                throw .cannotRead(
                    path: path, reason: "it is over \(scenarioBytesMax >> 20) MiB; a scenario file is at most that")
            }
        }
        return try decodeUTF8(bytes, path: path)
    }

    /// UTF-8 text, or the position of the first byte that is not UTF-8.
    static func decodeUTF8(_ bytes: [UInt8], path: String) throws(HarnessError) -> String {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .cannotRead(path: path, reason: "it is UTF-16 text; save it as UTF-8")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) {
            if let nul = body.firstIndex(of: 0) {
                let (line, column) = position(of: nul, in: body)
                throw atPosition(
                    path, line, column,
                    "a NUL byte; a scenario file is UTF-8 text (is this one UTF-16? save it as UTF-8)")
            }
            return text
        }
        let bad = firstInvalidUTF8Byte(body)
        let (line, column) = position(of: bad, in: body)
        let hex = String(body[bad], radix: 16, uppercase: true)
        throw atPosition(
            path, line, column, "byte 0x\(hex.count == 1 ? "0" + hex : hex) is not UTF-8; save the file as UTF-8")
    }

    /// An error at a place in the file, in the form of every other scenario error (`file:line:column: error: …`).
    static func atPosition(_ path: String, _ line: Int, _ column: Int, _ message: String) -> HarnessError {
        .invalidScenario(
            ScenarioError(diagnostics: [ScenarioDiagnostic(file: path, line: line, column: column, message: message)]))
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Byte(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length =
                b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            guard length > 0, i + length <= bytes.count else { return i }
            if length > 1 {
                guard String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            }
            i += length
        }
        return i
    }

    /// 1-based line and column (in characters of the valid text before it) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let before = bytes[..<offset]
        let lineStart = (before.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        return (line, column)
    }

    /// Makes a folder and its parents, or says which part of the path is in the way.
    public static func makeFolder(_ path: String) throws(HarnessError) {
        var built = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            built += (built.isEmpty || built.hasSuffix("/") ? "" : "/") + part
            var info = stat()
            if stat(built, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw .cannotWrite(
                        path: path, reason: "'\(built)' is a file, not a folder; move it or pass another --reports-dir")
                }
                continue
            }
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw .cannotWrite(path: path, reason: "cannot make '\(built)': \(reason(errno))")
            }
        }
    }

    /// A system error number in words a user acts on.
    public static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a part of the path is a file, not a folder"
        case ENOSPC: "the disk is full"
        case EROFS: "the file system is read-only"
        case ENAMETOOLONG: "the name is too long for the file system"
        case EISDIR: "it is a folder"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
