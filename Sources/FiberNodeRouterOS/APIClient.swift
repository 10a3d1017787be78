import Foundation
import NIOCore

/// The classic RouterOS API word encoding: length-prefixed words, a sentence ends with an empty word.
public enum APIWords {
    /// The length prefix of RouterOS's API (1 to 5 bytes).
    public static func encodeLength(_ n: Int, into out: inout [UInt8]) {
        switch n {
        case ..<0x80: out.append(UInt8(n))
        case ..<0x4000: out += [UInt8((n >> 8) | 0x80), UInt8(n & 0xFF)]
        case ..<0x20_0000: out += [UInt8((n >> 16) | 0xC0), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        case ..<0x1000_0000: out += [UInt8((n >> 24) | 0xE0), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        default: out += [0xF0, UInt8((n >> 24) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        }
    }

    public static func encode(_ sentence: [String]) -> [UInt8] {
        var out = [UInt8]()
        for w in sentence {
            let b = Array(w.utf8)
            encodeLength(b.count, into: &out)
            out += b
        }
        out.append(0)
        return out
    }

    /// Reads one sentence from `bytes` at `index`; nil (index unchanged) when incomplete.
    public static func decode(_ bytes: [UInt8], at index: inout Int, maxWord: Int = 16 << 20) throws -> [String]? {
        var i = index
        var words: [String] = []
        while true {
            guard i < bytes.count else { return nil }
            let b0 = Int(bytes[i])
            var len: Int, extra: Int
            switch b0 {
            case 0..<0x80: len = b0; extra = 0
            case 0x80..<0xC0: len = b0 & 0x3F; extra = 1
            case 0xC0..<0xE0: len = b0 & 0x1F; extra = 2
            case 0xE0..<0xF0: len = b0 & 0x0F; extra = 3
            case 0xF0: len = 0; extra = 4
            default: throw RouterOSError(.protocolError, "control byte \(b0)")
            }
            guard i + extra < bytes.count else { return nil }
            for k in 0..<extra { len = (len << 8) | Int(bytes[i + 1 + k]) }
            i += 1 + extra
            if len == 0 { index = i; return words }
            guard len <= maxWord else { throw RouterOSError(.protocolError, "word of \(len) bytes") }
            guard i + len <= bytes.count else { return nil }
            words.append(String(decoding: bytes[i..<(i + len)], as: UTF8.self))
            i += len
        }
    }
}

/// RouterOS 6 classic API (8728 plain, 8729 TLS): the plain `=name=`/`=password=` login of
/// 6.43+, `.tag` on every command, `!re` rows until `!done`, `!trap` as the router's words,
/// `!empty` (RouterOS 7.18+ on an empty print) as no rows, `!fatal` as the end of the session.
public final class APIClient: RouterOSClient {
    let ep: RouterEndpoint
    let channel: Channel
    let inbox: Inbox<ByteBuffer>
    let seen: SeenFingerprint
    private var buffer: [UInt8] = []
    private var index = 0
    private var tag = 0
    private var broken: RouterOSError?

    init(_ ep: RouterEndpoint, channel: Channel, inbox: Inbox<ByteBuffer>, seen: SeenFingerprint) {
        self.ep = ep; self.channel = channel; self.inbox = inbox; self.seen = seen
    }

    public static func connect(_ ep: RouterEndpoint) throws -> APIClient {
        let seen = SeenFingerprint()
        let inbox = Inbox<ByteBuffer>()
        let ch = try Net.connect(ep, seen: seen, inbox: inbox) { _ in }
        let c = APIClient(ep, channel: ch, inbox: inbox, seen: seen)
        do {
            let reply = try c.run(["/login", "=name=" + ep.username, "=password=" + ep.password], login: true)
            // A pre-6.43 router answers the plain login with a challenge (`=ret=`): not supported.
            if reply.done["ret"] != nil { throw RouterOSError(.login, "RouterOS older than 6.43 (challenge login)") }
        } catch {
            c.close()
            throw error
        }
        return c
    }

    public func close() { channel.close(promise: nil) }

    struct Reply { var rows: [[String: String]]; var done: [String: String] }

    /// Sends one command and reads its reply up to `!done` (a `!trap` is thrown after `!done`).
    func run(_ words: [String], login: Bool = false) throws -> Reply {
        if let broken { throw broken }
        tag += 1
        let myTag = String(tag)
        let bytes = APIWords.encode(words + [".tag=" + myTag])
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        let deadline = Date().addingTimeInterval(max(0.2, ep.timeout))
        var rows: [[String: String]] = []
        var trap: String?
        while true {
            let sentence = try readSentence(deadline: deadline)
            guard let kind = sentence.first else { continue }
            var attrs: [String: String] = [:]
            var replyTag: String?
            for w in sentence.dropFirst() {
                if w.hasPrefix(".tag=") { replyTag = String(w.dropFirst(5)); continue }
                if w.hasPrefix("=") {
                    let body = w.dropFirst()
                    if let eq = body.firstIndex(of: "=") { attrs[String(body[..<eq])] = String(body[body.index(after: eq)...]) }
                    else { attrs[String(body)] = "" }
                } else if kind == "!fatal" { attrs["message"] = w }
            }
            if kind == "!fatal" {
                let e = RouterOSError(.fatal, attrs["message"] ?? "")
                broken = e; close(); throw e
            }
            if let replyTag, replyTag != myTag { continue }   // an answer to another command
            switch kind {
            case "!re": rows.append(attrs)
            case "!empty": break
            case "!trap": if trap == nil { trap = attrs["message"] ?? "" }
            case "!done":
                if let trap { throw RouterOSError(login ? .login : .refused, trap) }
                return Reply(rows: rows, done: attrs)
            default: break
            }
        }
    }

    func readSentence(deadline: Date) throws -> [String] {
        while true {
            do {
                if let s = try APIWords.decode(buffer, at: &index) {
                    if index > 65536 { buffer.removeFirst(index); index = 0 }
                    return s
                }
            } catch let e as RouterOSError { broken = e; close(); throw e }
            let chunk: ByteBuffer?
            do { chunk = try inbox.next(deadline: deadline) } catch {
                let e = Net.classify(error, ep, seen: seen)
                broken = e; close(); throw e
            }
            guard var c = chunk else {
                let e = ep.tls && ep.fingerprint != nil && seen.get != nil && seen.get != ep.fingerprint
                    ? RouterOSError(.fingerprintMismatch, seen.get!) : RouterOSError(.dropped)
                broken = e; close(); throw e
            }
            buffer += c.readBytes(length: c.readableBytes) ?? []
        }
    }

    // MARK: RouterOSClient

    public func info() throws -> RouterInfo {
        let identity = try run(["/system/identity/print"]).rows.first?["name"] ?? ""
        let res = try run(["/system/resource/print"]).rows.first ?? [:]
        return RouterInfo(identity: identity, version: res["version"] ?? "", board: res["board-name"] ?? "")
    }

    public func secrets(name: String?) throws -> [PPPSecret] {
        try run(["/ppp/secret/print"] + (name.map { ["?name=" + $0] } ?? [])).rows.map(RESTClient.secret)
    }

    public func setSecretProfile(id: String, profile: String) throws {
        _ = try run(["/ppp/secret/set", "=.id=" + id, "=profile=" + profile])
    }

    public func activeSessions(name: String?) throws -> [PPPActive] {
        try run(["/ppp/active/print"] + (name.map { ["?name=" + $0] } ?? [])).rows.map {
            PPPActive(id: $0[".id"] ?? "", name: $0["name"] ?? "", address: $0["address"] ?? "")
        }
    }

    public func removeActive(id: String) throws { _ = try run(["/ppp/active/remove", "=.id=" + id]) }

    public func addressList(list: String?) throws -> [AddressListEntry] {
        try run(["/ip/firewall/address-list/print"] + (list.map { ["?list=" + $0] } ?? [])).rows.map {
            AddressListEntry(id: $0[".id"] ?? "", list: $0["list"] ?? "", address: $0["address"] ?? "", comment: $0["comment"] ?? "")
        }
    }

    public func addAddressListEntry(list: String, address: String, comment: String) throws {
        _ = try run(["/ip/firewall/address-list/add", "=list=" + list, "=address=" + address, "=comment=" + comment])
    }

    public func removeAddressListEntry(id: String) throws {
        _ = try run(["/ip/firewall/address-list/remove", "=.id=" + id])
    }
}
