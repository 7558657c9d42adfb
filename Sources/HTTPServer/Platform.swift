import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the socket calls whose spelling differs between Linux and Darwin.
enum Platform {
    #if os(Linux)
        static let plainStreamType = Int32(SOCK_STREAM.rawValue)
        static let streamSocketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        /// `send` never raises SIGPIPE with this flag; SIGPIPE is ignored process-wide as well.
        static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
        static let plainStreamType = SOCK_STREAM
        static let streamSocketType = SOCK_STREAM
        static let sendFlags: Int32 = 0
    #endif

    /// Closes a descriptor; callers guarantee it happens exactly once per descriptor. `EBADF` (a
    /// descriptor that was not open: a second close) is counted in ``closeFailures``; `EINTR` is not
    /// retried, because Linux has released the descriptor by then.
    static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
            let result = Glibc.close(fd)
        #elseif canImport(Musl)
            let result = Musl.close(fd)
        #else
            let result = Darwin.close(fd)
        #endif
        if result != 0, errno == EBADF { recordCloseFailure() }
    }

    /// Closes that found no open descriptor, or a connection asked to close twice: always 0 unless
    /// there is a bug (tests check it).
    static var closeFailures: Int { closeFailureCounter.value }

    static func recordCloseFailure() {
        closeFailureCounter.increment()
    }

    private static let closeFailureCounter = LockedCounter()

    /// `SO_LINGER` with a zero timeout: the next `close` discards unsent data and sends a reset,
    /// instead of leaving an orphaned socket holding a response that nobody reads.
    static func setAbortiveClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    /// `send` that never raises `SIGPIPE` (`MSG_NOSIGNAL` on Linux, `SO_NOSIGPIPE` on Darwin sockets).
    static func send(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.send(fd, bytes, count, sendFlags)
        #elseif canImport(Musl)
            return Musl.send(fd, bytes, count, sendFlags)
        #else
            return Darwin.send(fd, bytes, count, sendFlags)
        #endif
    }

    /// Sends two buffers in one system call (`sendmsg` with two vectors), so a response's head and body
    /// need not be copied into one buffer first. Same flags and result as ``send(_:_:_:)``.
    static func send(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Int {
        var vectors = [
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
        ]
        return vectors.withUnsafeMutableBufferPointer { buffer in
            var message = msghdr()
            message.msg_iov = buffer.baseAddress
            message.msg_iovlen = .init(buffer.count)
            return sendmsg(fd, &message, sendFlags)
        }
    }

    /// The current `errno` as a readable text, e.g. `Address already in use (errno 98)`.
    static func errorText(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    static func isWouldBlock(_ code: Int32) -> Bool {
        code == EAGAIN || code == EWOULDBLOCK
    }

    /// Sets `O_NONBLOCK`; returns false on failure.
    static func setNonBlocking(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Accepts one connection as a non-blocking, close-on-exec descriptor. Returns -1 with `errno`.
    static func acceptNonBlocking(_ fd: Int32, _ address: inout sockaddr_storage) -> Int32 {
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &address) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                // accept4 is not exported by the Glibc module; two fcntl calls do the same.
                let client = accept(fd, pointer, &length)
                if client >= 0 {
                    _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                    _ = setNonBlocking(client)
                    #if canImport(Darwin)
                        setOption(client, SOL_SOCKET, SO_NOSIGPIPE, 1)
                    #endif
                }
                return client
            }
        }
    }

    /// The numeric host text of an address (`127.0.0.1`, `::1`).
    static func hostText(_ address: sockaddr_storage) -> String {
        var address = address
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = Int32(address.ss_family)
        let result: UnsafePointer<CChar>? = withUnsafePointer(to: &address) { storage in
            if family == AF_INET {
                return storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                    var raw = ipv4.pointee.sin_addr
                    return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                }
            } else if family == AF_INET6 {
                return storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                    var raw = ipv6.pointee.sin6_addr
                    return inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                }
            }
            return nil
        }
        guard result != nil else { return "unknown" }
        let bytes = text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        var host = String(decoding: bytes, as: UTF8.self)
        if host.hasPrefix("::ffff:"), host.contains(".") { host.removeFirst(7) }
        return host
    }

    /// The port a socket is bound to, or nil.
    static func boundPort(_ fd: Int32) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &address) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return port(of: address)
    }

    static func port(of address: sockaddr_storage) -> Int? {
        var address = address
        let family = Int32(address.ss_family)
        return withUnsafePointer(to: &address) { storage in
            switch family {
            case AF_INET:
                return storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin_port))
                }
            case AF_INET6:
                return storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            default:
                return nil
            }
        }
    }
}

/// An integer behind a lock, for rare events counted from any thread.
final class LockedCounter: @unchecked Sendable {
    // `lock` guards `count`.
    private let lock = NSLock()
    private var count = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }
}
