import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Crypto

/// Inbound items of one channel, handed to a blocking reader with a deadline.
final class Inbox<T>: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = T
    private let cond = NSCondition()
    private var items: [T] = []
    private var head = 0
    private var closed = false
    private var failure: Error?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let item = unwrapInboundIn(data)
        cond.lock(); items.append(item); cond.signal(); cond.unlock()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cond.lock(); closed = true; cond.broadcast(); cond.unlock()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        cond.lock(); if failure == nil { failure = error }; cond.broadcast(); cond.unlock()
        context.close(promise: nil)
    }

    /// The next item; nil when the peer closed; throws the channel's error or a timeout.
    func next(deadline: Date) throws -> T? {
        cond.lock(); defer { cond.unlock() }
        while head >= items.count && !closed && failure == nil {
            if !cond.wait(until: deadline) {
                if head < items.count || closed || failure != nil { break }
                throw RouterOSError(.timeout)
            }
        }
        if head < items.count {
            let item = items[head]; head += 1
            if head > 1024 && head * 2 > items.count { items.removeFirst(head); head = 0 }
            return item
        }
        if let failure { throw failure }
        return nil
    }
}

/// What the pinning callback saw (for the operator's message).
final class SeenFingerprint: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ v: String) { lock.lock(); value = v; lock.unlock() }
    var get: String? { lock.lock(); defer { lock.unlock() }; return value }
}

enum Net {
    static var group: EventLoopGroup { MultiThreadedEventLoopGroup.singleton }

    /// SHA-256 of a certificate's DER bytes as 64 lowercase hex digits.
    static func fingerprint(_ cert: NIOSSLCertificate) -> String? {
        guard let der = try? cert.toDERBytes() else { return nil }
        return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The TLS handler: a pinned fingerprint replaces the usual chain check (a router's
    /// self-signed certificate), otherwise the system's trust store decides.
    static func tlsHandler(_ ep: RouterEndpoint, seen: SeenFingerprint, probeOnly: Bool = false) throws -> NIOSSLClientHandler {
        var cfg = TLSConfiguration.makeClientConfiguration()
        let pinned = ep.fingerprint
        cfg.certificateVerification = (pinned != nil || probeOnly) ? .noHostnameVerification : .fullVerification
        let ctx = try NIOSSLContext(configuration: cfg)
        let sni = isIPAddress(ep.host) ? nil : ep.host
        if pinned != nil || probeOnly {
            return try NIOSSLClientHandler(context: ctx, serverHostname: sni, customVerificationCallback: { certs, promise in
                guard let leaf = certs.first, let fp = fingerprint(leaf) else { promise.succeed(.failed); return }
                seen.set(fp)
                promise.succeed(!probeOnly && fp == pinned ? .certificateVerified : .failed)
            })
        }
        return try NIOSSLClientHandler(context: ctx, serverHostname: sni)
    }

    /// Connects with a bounded timeout and builds the pipeline: TLS when asked, `extra`, then the inbox.
    static func connect<T>(_ ep: RouterEndpoint, seen: SeenFingerprint, inbox: Inbox<T>, probeOnly: Bool = false,
                           extra: @escaping @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void) throws -> Channel {
        let timeout = max(0.2, ep.timeout)
        let tls = ep.tls ? try tlsHandler(ep, seen: seen, probeOnly: probeOnly) : nil
        let box = UnsafeTransfer(tls)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    let sync = ch.pipeline.syncOperations
                    if let t = box.value { try sync.addHandler(t) }
                    try extra(sync)
                    try sync.addHandler(inbox)
                }
            }
        do {
            return try bootstrap.connect(host: ep.host, port: ep.port).wait()
        } catch let e as ChannelError {
            if case .connectTimeout = e { throw RouterOSError(.timeout, "\(ep.host):\(ep.port)") }
            throw RouterOSError(.unreachable, "\(ep.host):\(ep.port) (\(e))")
        } catch {
            throw RouterOSError(.unreachable, "\(ep.host):\(ep.port) (\(Self.describe(error)))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? IOError { return String(cString: strerror(e.errnoCode)) }
        if let e = error as? NIOConnectionError {
            // The last attempt's reason (refused, no route), without the address repeated.
            if let last = e.connectionErrors.last?.error as? IOError { return String(cString: strerror(last.errnoCode)) }
            return "no address"
        }
        return String(describing: error)
    }

    /// Turns a channel error into the router error the operator reads.
    static func classify(_ error: Error, _ ep: RouterEndpoint, seen: SeenFingerprint) -> RouterOSError {
        if let e = error as? RouterOSError { return e }
        if error is NIOSSLError || error is BoringSSLError {
            if let pinned = ep.fingerprint, let got = seen.get, got != pinned { return RouterOSError(.fingerprintMismatch, got) }
            if ep.fingerprint == nil, let fp = probe(ep) { return RouterOSError(.untrustedCertificate, fp) }
            return RouterOSError(.tls, String(describing: error))
        }
        if let e = error as? ChannelError, case .ioOnClosedChannel = e { return RouterOSError(.dropped) }
        return RouterOSError(.dropped, String(describing: error))
    }

    /// The fingerprint of the certificate a TLS router presents (first contact, nothing pinned).
    static func probe(_ ep: RouterEndpoint) -> String? {
        let seen = SeenFingerprint()
        let inbox = Inbox<ByteBuffer>()
        guard let ch = try? connect(ep, seen: seen, inbox: inbox, probeOnly: true, extra: { _ in }) else { return nil }
        _ = try? inbox.next(deadline: Date().addingTimeInterval(max(0.2, ep.timeout)))
        ch.close(promise: nil)
        return seen.get
    }
}

/// Carries a non-Sendable value into a @Sendable initializer closure that runs once.
struct UnsafeTransfer<V>: @unchecked Sendable {
    let value: V
    init(_ v: V) { value = v }
}
