import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL

// A fake MikroTik on loopback speaking RouterOS 7 REST and the RouterOS 6 classic API over
// one shared state (issue 15). Test support only: never in the shipped binary's path.

/// The router's tables and the faults a test can switch on.
public final class FakeRouterState: @unchecked Sendable {
    public struct Secret: Equatable, Sendable { public var id, name, profile, comment, service: String }
    public struct Active: Equatable, Sendable { public var id, name, address: String }
    public struct Entry: Equatable, Sendable { public var id, list, address, comment: String }

    /// How the router misbehaves.
    public enum Fault: Sendable, Equatable {
        case none
        case hang            // accepts the connection, reads, never answers
        case dropMidReply    // answers half a reply, then closes
    }

    private let lock = NSLock()
    public var username = "fibernode"
    public var password = "rahasia"
    public var identity = "FakeTik"
    public var version = "7.16.2 (stable)"
    public var board = "hAP ax2"
    private var nextId = 1
    private var _secrets: [Secret] = []
    private var _active: [Active] = []
    private var _entries: [Entry] = []
    private var _fault: Fault = .none
    private var _trapOnWrite: String?
    private var _ignoreWrites = false
    private var _emptyReplies = true
    private var _requests = 0

    public init() {}

    func locked<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }
    private func newId() -> String { defer { nextId += 1 }; return "*" + String(nextId, radix: 16, uppercase: true) }

    public var fault: Fault { get { locked { _fault } } set { locked { _fault = newValue } } }
    /// Every change refused with these words (`!trap`, REST 400 detail).
    public var trapOnWrite: String? { get { locked { _trapOnWrite } } set { locked { _trapOnWrite = newValue } } }
    /// Changes answered as done but not made (read-back must catch it).
    public var ignoreWrites: Bool { get { locked { _ignoreWrites } } set { locked { _ignoreWrites = newValue } } }
    /// The classic API answers an empty print with `!empty` (RouterOS 7.18+).
    public var emptyReplies: Bool { get { locked { _emptyReplies } } set { locked { _emptyReplies = newValue } } }
    public var requests: Int { locked { _requests } }
    public var secrets: [Secret] { locked { _secrets } }
    public var active: [Active] { locked { _active } }
    public var entries: [Entry] { locked { _entries } }

    @discardableResult
    public func addSecret(name: String, profile: String = "default", comment: String = "", online: Bool = false) -> String {
        locked {
            let id = newId()
            _secrets.append(Secret(id: id, name: name, profile: profile, comment: comment, service: "pppoe"))
            if online { _active.append(Active(id: newId(), name: name, address: "10.0.\(_active.count / 250).\(_active.count % 250 + 2)")) }
            return id
        }
    }

    @discardableResult
    public func addEntry(list: String, address: String, comment: String = "") -> String {
        locked { let id = newId(); _entries.append(Entry(id: id, list: list, address: address, comment: comment)); return id }
    }

    public func secret(named name: String) -> Secret? { locked { _secrets.first { $0.name == name } } }
    public func isOnline(_ name: String) -> Bool { locked { _active.contains { $0.name == name } } }
    public func setProfile(name: String, _ profile: String) { locked { if let i = _secrets.firstIndex(where: { $0.name == name }) { _secrets[i].profile = profile } } }

    // MARK: The commands both protocols map to

    enum Outcome { case rows([[String: String]]), done([String: String]), trap(String, status: Int) }

    func execute(_ path: String, _ args: [String: String], query: [String: String]) -> Outcome {
        lock.lock(); defer { lock.unlock() }
        _requests += 1
        func match(_ row: [String: String]) -> Bool { query.allSatisfy { row[$0.key] == $0.value } }
        let isWrite = ["set", "remove", "add"].contains(path.split(separator: "/").last.map(String.init) ?? "")
        if isWrite, let t = _trapOnWrite { return .trap(t, status: 400) }
        switch path {
        case "/system/identity/print": return .rows([["name": identity]])
        case "/system/resource/print": return .rows([["version": version, "board-name": board, "uptime": "3d4h"]])
        case "/ppp/secret/print":
            return .rows(_secrets.map { [".id": $0.id, "name": $0.name, "profile": $0.profile, "comment": $0.comment,
                                          "service": $0.service, "disabled": "false"] }.filter(match))
        case "/ppp/active/print":
            return .rows(_active.map { [".id": $0.id, "name": $0.name, "address": $0.address, "service": "pppoe"] }.filter(match))
        case "/ip/firewall/address-list/print":
            return .rows(_entries.map { [".id": $0.id, "list": $0.list, "address": $0.address, "comment": $0.comment,
                                          "dynamic": "false"] }.filter(match))
        case "/ppp/secret/set":
            guard let i = _secrets.firstIndex(where: { $0.id == args[".id"] }) else { return .trap("no such item", status: 404) }
            if !_ignoreWrites, let p = args["profile"] { _secrets[i].profile = p }
            return .done([:])
        case "/ppp/active/remove":
            guard let i = _active.firstIndex(where: { $0.id == args[".id"] }) else { return .trap("no such item", status: 404) }
            if !_ignoreWrites { _active.remove(at: i) }
            return .done([:])
        case "/ip/firewall/address-list/add":
            guard let list = args["list"], let address = args["address"] else { return .trap("missing list or address", status: 400) }
            if _entries.contains(where: { $0.list == list && $0.address == address }) {
                return .trap("failure: already have such entry", status: 400)
            }
            let id = newId()
            if !_ignoreWrites { _entries.append(Entry(id: id, list: list, address: address, comment: args["comment"] ?? "")) }
            return .done(["ret": id])
        case "/ip/firewall/address-list/remove":
            guard let i = _entries.firstIndex(where: { $0.id == args[".id"] }) else { return .trap("no such item", status: 404) }
            if !_ignoreWrites { _entries.remove(at: i) }
            return .done([:])
        default:
            return .trap("no such command", status: 400)
        }
    }

    func checkLogin(_ user: String, _ pass: String) -> Bool { locked { user == username && pass == password } }
}

/// The fake's self-signed certificate (a test key, nothing else uses it) and its SHA-256 fingerprint.
public enum FakeRouterCertificate {
    public static let pem = """
    -----BEGIN CERTIFICATE-----
    MIIBlzCCAT2gAwIBAgIUKbH2/eEF0fxQeS4gV7k1LChuFbswCgYIKoZIzj0EAwIw
    IDEeMBwGA1UEAwwVZmliZXJub2RlLWZha2Utcm91dGVyMCAXDTI2MTEzMDE0NDMx
    NFoYDzIxMjYxMTA2MTQ0MzE0WjAgMR4wHAYDVQQDDBVmaWJlcm5vZGUtZmFrZS1y
    b3V0ZXIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATtVxzNcjZM2/7edrfpeFad
    cMRT+fqWDXAOyb6QDR20MyX6LqLCHJ+t9QSVbbAyNqoPZ/aQn8LPHGpo6O6JfprI
    o1MwUTAdBgNVHQ4EFgQUghIo2fvIBoQtF2dVPe+GEUZJSLIwHwYDVR0jBBgwFoAU
    ghIo2fvIBoQtF2dVPe+GEUZJSLIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
    AgNIADBFAiEA2vKbMKIPwik1vJNE54PG1I1nHc0N6/8SwX2qskFBoLgCIEhwqrOM
    CNjDpNNuwjcLKoT8zH+xw17291G/De3qIUyG
    -----END CERTIFICATE-----
    """
    static let keyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSFlXXL5u0pD0WBad
    RCFqVk4H/O9SayInCoMvLLdqkRyhRANCAATtVxzNcjZM2/7edrfpeFadcMRT+fqW
    DXAOyb6QDR20MyX6LqLCHJ+t9QSVbbAyNqoPZ/aQn8LPHGpo6O6JfprI
    -----END PRIVATE KEY-----
    """
    public static let fingerprint = "1bd5507a3cf494739bc705e1cd1127908b1cb86413f8291cc7af0e9c8be9fda1"

    static func serverContext() throws -> NIOSSLContext {
        let cert = try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        let cfg = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(cert)], privateKey: .privateKey(key))
        return try NIOSSLContext(configuration: cfg)
    }
}

/// One listening fake (REST or classic API) on 127.0.0.1.
public final class FakeRouterServer: @unchecked Sendable {
    public enum Kind { case rest, api }
    public let state: FakeRouterState
    public let proto: Kind
    public let tls: Bool
    private var channel: Channel?
    public private(set) var port = 0

    public init(state: FakeRouterState, protocol proto: Kind, tls: Bool = false) {
        self.state = state; self.proto = proto; self.tls = tls
    }

    /// `http(s)://127.0.0.1:P` or `api(-ssl)://127.0.0.1:P`.
    public var url: String {
        switch proto {
        case .rest: return (tls ? "https" : "http") + "://127.0.0.1:\(port)"
        case .api: return (tls ? "api-ssl" : "api") + "://127.0.0.1:\(port)"
        }
    }

    @discardableResult
    public func start(port wanted: Int = 0) throws -> Int {
        let ctx = tls ? try FakeRouterCertificate.serverContext() : nil
        let ctxBox = FakeBox(ctx)
        let state = self.state, proto = self.proto
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)   // like a real router's stack
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    let sync = ch.pipeline.syncOperations
                    if let c = ctxBox.value { try sync.addHandler(NIOSSLServerHandler(context: c)) }
                    switch proto {
                    case .rest:
                        try sync.configureHTTPServerPipeline(withErrorHandling: true)
                        try sync.addHandler(FakeRESTHandler(state))
                    case .api:
                        try sync.addHandler(FakeAPIHandler(state))
                    }
                }
            }
        let ch = try bootstrap.bind(host: "127.0.0.1", port: wanted).wait()
        channel = ch
        port = ch.localAddress?.port ?? 0
        return port
    }

    public func stop() { try? channel?.close().wait(); channel = nil }
    deinit { channel?.close(promise: nil) }
}

struct FakeBox<V>: @unchecked Sendable { let value: V; init(_ v: V) { value = v } }

final class FakeRESTHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let state: FakeRouterState
    var head: HTTPRequestHead?
    var body = [UInt8]()
    init(_ s: FakeRouterState) { state = s }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h; body = []
        case .body(var b): body += b.readBytes(length: b.readableBytes) ?? []
        case .end: if let h = head { respond(context, h) }; head = nil
        }
    }

    func respond(_ context: ChannelHandlerContext, _ h: HTTPRequestHead) {
        if state.fault == .hang { return }
        let (status, json) = route(h)
        var data = json.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) } ?? Data()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(data.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if state.fault == .dropMidReply {
            data = data.prefix(max(1, data.count / 2))
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: data)))))
                .whenComplete { _ in context.close(promise: nil) }
            return
        }
        if !data.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: data)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    func route(_ h: HTTPRequestHead) -> (HTTPResponseStatus, Any?) {
        let auth = h.headers.first(name: "Authorization") ?? ""
        let decoded = auth.hasPrefix("Basic ") ? Data(base64Encoded: String(auth.dropFirst(6))).flatMap { String(data: $0, encoding: .utf8) } : nil
        let pair = decoded.map { s -> (String, String) in
            let p = s.split(separator: ":", maxSplits: 1); return (String(p.first ?? ""), p.count > 1 ? String(p[1]) : "")
        }
        guard let pair, state.checkLogin(pair.0, pair.1) else {
            return (.unauthorized, ["error": 401, "message": "Unauthorized"])
        }
        let comps = URLComponents(string: h.uri)
        var path = comps?.percentEncodedPath ?? h.uri
        guard path.hasPrefix("/rest/") else { return (.notFound, ["error": 404, "message": "Not Found"]) }
        path = String(path.dropFirst(5))
        var query: [String: String] = [:]
        for q in comps?.queryItems ?? [] { query[q.name] = q.value ?? "" }
        let bodyObj = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        var args: [String: String] = [:]
        for (k, v) in bodyObj { args[k] = "\(v)" }
        // /ppp/secret/*1 → set/remove with .id
        let parts = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        var command: String
        if let last = parts.last, last.hasPrefix("*") {
            args[".id"] = last
            let base = "/" + parts.dropLast().joined(separator: "/")
            command = base + (h.method == .DELETE ? "/remove" : "/set")
        } else {
            let base = "/" + parts.joined(separator: "/")
            switch h.method {
            case .GET: command = base + "/print"
            case .PUT: command = base + "/add"
            default: command = base + "/" + h.method.rawValue.lowercased()
            }
        }
        if command == "/ppp/secret/remove" { command = "/unsupported" }   // FiberNode never deletes secrets
        switch state.execute(command, args, query: command.hasSuffix("/print") ? query : [:]) {
        case .rows(let rows):
            if command.hasPrefix("/system/") { return (.ok, rows.first ?? [:]) }
            return (.ok, rows)
        case .done(let d):
            if h.method == .DELETE { return (.noContent, nil) }
            if let id = d["ret"] { return (.created, [".id": id] as [String: Any]) }
            return (.ok, [:] as [String: Any])
        case .trap(let message, let status):
            return (HTTPResponseStatus(statusCode: status),
                    ["error": status, "message": status == 404 ? "Not Found" : "Bad Request", "detail": message])
        }
    }
}

final class FakeAPIHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let state: FakeRouterState
    var buffer = [UInt8]()
    var index = 0
    var loggedIn = false
    init(_ s: FakeRouterState) { state = s }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var b = unwrapInboundIn(data)
        buffer += b.readBytes(length: b.readableBytes) ?? []
        while true {
            let sentence: [String]?
            do { sentence = try FakeAPIWords.decode(buffer, at: &index) } catch { context.close(promise: nil); return }
            guard let words = sentence else { break }
            if !words.isEmpty { handle(context, words) }
        }
        if index > 4096 { buffer.removeFirst(index); index = 0 }
    }

    func send(_ context: ChannelHandlerContext, _ sentences: [[String]]) {
        var out = [UInt8]()
        for s in sentences { out += FakeAPIWords.encode(s) }
        if state.fault == .dropMidReply {
            out = Array(out.prefix(max(1, out.count / 2)))
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: out))).whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: out)), promise: nil)
    }

    func handle(_ context: ChannelHandlerContext, _ words: [String]) {
        if state.fault == .hang { return }
        let command = words[0]
        var args: [String: String] = [:], query: [String: String] = [:]
        var tagWords: [String] = []
        for w in words.dropFirst() {
            if w.hasPrefix(".tag=") { tagWords = [w] }
            else if w.hasPrefix("=") {
                let body = w.dropFirst()
                if let eq = body.firstIndex(of: "=") { args[String(body[..<eq])] = String(body[body.index(after: eq)...]) }
            } else if w.hasPrefix("?") {
                let body = w.dropFirst()
                if let eq = body.firstIndex(of: "=") { query[String(body[..<eq])] = String(body[body.index(after: eq)...]) }
            }
        }
        if command == "/login" {
            if state.checkLogin(args["name"] ?? "", args["password"] ?? "") {
                loggedIn = true
                send(context, [["!done"] + tagWords])
            } else {
                send(context, [["!trap", "=message=invalid user name or password (6)"] + tagWords, ["!done"] + tagWords])
            }
            return
        }
        guard loggedIn else { send(context, [["!fatal", "not logged in"]]); context.close(promise: nil); return }
        if command == "/quit" { send(context, [["!fatal", "session terminated on request"]]); context.close(promise: nil); return }
        switch state.execute(command, args, query: query) {
        case .rows(let rows):
            var out = rows.map { r in ["!re"] + r.sorted { $0.key < $1.key }.map { "=\($0.key)=\($0.value)" } + tagWords }
            if rows.isEmpty && state.emptyReplies { out.append(["!empty"] + tagWords) }
            out.append(["!done"] + tagWords)
            send(context, out)
        case .done(let d):
            send(context, [["!done"] + d.map { "=\($0.key)=\($0.value)" } + tagWords])
        case .trap(let message, _):
            send(context, [["!trap", "=message=" + message] + tagWords, ["!done"] + tagWords])
        }
    }
}

/// The fake's own copy of the word codec (the fake must not trust the client's code).
enum FakeAPIWords {
    static func encode(_ sentence: [String]) -> [UInt8] {
        var out = [UInt8]()
        for w in sentence {
            let b = Array(w.utf8), n = b.count
            if n < 0x80 { out.append(UInt8(n)) }
            else if n < 0x4000 { out += [UInt8(n >> 8 | 0x80), UInt8(n & 0xFF)] }
            else if n < 0x20_0000 { out += [UInt8(n >> 16 | 0xC0), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
            else { out += [UInt8(n >> 24 | 0xE0), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
            out += b
        }
        out.append(0)
        return out
    }

    struct Bad: Error {}

    static func decode(_ bytes: [UInt8], at index: inout Int) throws -> [String]? {
        var i = index, words: [String] = []
        while true {
            guard i < bytes.count else { return nil }
            let b0 = Int(bytes[i])
            var len: Int, extra: Int
            if b0 < 0x80 { len = b0; extra = 0 } else if b0 < 0xC0 { len = b0 & 0x3F; extra = 1 }
            else if b0 < 0xE0 { len = b0 & 0x1F; extra = 2 } else if b0 < 0xF0 { len = b0 & 0x0F; extra = 3 } else { throw Bad() }
            guard i + extra < bytes.count else { return nil }
            for k in 0..<extra { len = len << 8 | Int(bytes[i + 1 + k]) }
            i += 1 + extra
            if len == 0 { index = i; return words }
            guard i + len <= bytes.count else { return nil }
            words.append(String(decoding: bytes[i..<i + len], as: UTF8.self))
            i += len
        }
    }
}
