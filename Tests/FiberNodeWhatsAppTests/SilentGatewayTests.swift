import Foundation
import XCTest
@testable import FiberNodeWhatsApp

/// Issue 12, item 5: a gateway that accepts the connection and never answers must not pin
/// a CPU core while FiberNode waits (URLSession's libcurl loop spun for the whole timeout).
final class SilentGatewayTests: XCTestCase {
    /// A loopback listener that accepts connections and never reads or answers.
    final class SilentListener {
        let fd: Int32
        let port: Int
        private var held: [Int32] = []
        private let lock = NSLock()
        private var stopped = false

        init() throws {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = 0
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0, listen(s, 16) == 0 else { close(s); throw NSError(domain: "listener", code: Int(errno)) }
            var bound = sockaddr_in(), len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
            fd = s
            port = Int(UInt16(bigEndian: bound.sin_port))
            var tv = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            Thread.detachNewThread { [self] in
                for _ in 0..<300 {          // bounded: at most ~60 s of accepting
                    if lock.withLock({ stopped }) { break }
                    let c = accept(fd, nil, nil)
                    if c >= 0 { lock.withLock { held.append(c) } }
                }
            }
        }

        var accepted: Int { lock.withLock { held.count } }

        func stop() {
            lock.withLock { stopped = true; held.forEach { close($0) }; held = [] }
            close(fd)
        }
    }

    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    func testSilentGatewayTimesOutWithoutSpinning() throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let g = WAHAGateway(baseURL: URL(string: "http://127.0.0.1:\(listener.port)")!, apiKey: "k-secret", session: "default", timeout: 3)
        let cpu0 = Self.cpuSeconds(), t0 = Date()
        XCTAssertThrowsError(try g.status()) { e in
            XCTAssertEqual(e as? GatewayError, .timeout)
            XCTAssertFalse("\(e)".contains("k-secret"))
        }
        let wall = Date().timeIntervalSince(t0), cpu = Self.cpuSeconds() - cpu0
        XCTAssertGreaterThanOrEqual(listener.accepted, 1, "the request never reached the listener")
        XCTAssertGreaterThan(wall, 2.5, "gave up before the 3 s deadline")
        XCTAssertLessThan(wall, 5, "waited past the 3 s deadline")
        // libcurl's loop used ~80 % of a core for the whole wait (2.4 s here); epoll uses ~nothing.
        XCTAssertLessThan(cpu, 0.5, "waiting \(wall) s for a silent gateway used \(cpu) s of CPU")
    }

    func testOneSharedClientShutsDownAndComesBack() throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let g = WAHAGateway(baseURL: URL(string: "http://127.0.0.1:\(listener.port)")!, apiKey: "", session: "default", timeout: 1)
        XCTAssertThrowsError(try g.status())
        SharedHTTPClient.shutdown()
        SharedHTTPClient.shutdown()        // twice: harmless
        XCTAssertThrowsError(try g.status()) { e in XCTAssertEqual(e as? GatewayError, .timeout) }
    }
}
