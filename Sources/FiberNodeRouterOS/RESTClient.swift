import Foundation
import NIOCore
import NIOHTTP1

/// RouterOS 7 REST (`/rest/...`): HTTPS with Basic auth, one connection per request (a few
/// requests per isolation; nothing to keep alive between worker ticks). Any 2xx is success;
/// `{"error":400,"message":…,"detail":…}` becomes a `.refused` error with those words.
public final class RESTClient: RouterOSClient {
    let ep: RouterEndpoint
    /// Largest reply accepted (a router with 100k secrets stays far below).
    static let maxBody = 64 << 20

    public init(_ endpoint: RouterEndpoint) { ep = endpoint }

    public func close() {}

    /// One request; the decoded JSON of a 2xx reply (nil for an empty body).
    func call(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [String: String]? = nil) throws -> Any? {
        let seen = SeenFingerprint()
        let inbox = Inbox<HTTPClientResponsePart>()
        let channel = try Net.connect(ep, seen: seen, inbox: inbox) { sync in
            try sync.addHTTPClientHandlers()
        }
        defer { channel.close(promise: nil) }
        var uri = "/rest" + path
        if !query.isEmpty {
            var c = URLComponents(); c.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            uri += "?" + (c.percentEncodedQuery ?? "")
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "Host", value: ep.port == (ep.tls ? 443 : 80) ? ep.host : "\(ep.host):\(ep.port)")
        let auth = Data("\(ep.username):\(ep.password)".utf8).base64EncodedString()
        head.headers.add(name: "Authorization", value: "Basic " + auth)
        head.headers.add(name: "Accept", value: "application/json")
        head.headers.add(name: "Connection", value: "close")
        var payload: ByteBuffer?
        if let body {
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            payload = channel.allocator.buffer(bytes: data)
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(data.count))
        } else if method != .GET && method != .DELETE {
            head.headers.add(name: "Content-Length", value: "0")
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let payload { channel.write(HTTPClientRequestPart.body(.byteBuffer(payload)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)

        let deadline = Date().addingTimeInterval(max(0.2, ep.timeout))
        var status: HTTPResponseStatus?
        var bytes = [UInt8]()
        reading: while true {
            let part: HTTPClientResponsePart?
            do { part = try inbox.next(deadline: deadline) } catch { throw Net.classify(error, ep, seen: seen) }
            switch part {
            case .head(let h)?: status = h.status
            case .body(var b)?:
                guard bytes.count + b.readableBytes <= Self.maxBody else { throw RouterOSError(.protocolError, "reply too large") }
                bytes += b.readBytes(length: b.readableBytes) ?? []
            case .end?: break reading
            case nil:
                throw status == nil && ep.tls && seen.get != nil && ep.fingerprint != nil && seen.get != ep.fingerprint
                    ? RouterOSError(.fingerprintMismatch, seen.get!) : RouterOSError(.dropped)
            }
        }
        guard let status else { throw RouterOSError(.dropped) }
        let json: Any? = bytes.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        switch status.code {
        case 200..<300:
            if !bytes.isEmpty && json == nil { throw RouterOSError(.protocolError, "not JSON") }
            return json
        case 401:
            throw RouterOSError(.login, Self.words(json) ?? status.reasonPhrase)
        default:
            throw RouterOSError(.refused, Self.words(json) ?? "HTTP \(status.code) \(status.reasonPhrase)")
        }
    }

    /// `message — detail` of a RouterOS error object.
    static func words(_ json: Any?) -> String? {
        guard let o = json as? [String: Any] else { return nil }
        let message = (o["message"] as? String) ?? ""
        let detail = (o["detail"] as? String) ?? ""
        let text = [message, detail].filter { !$0.isEmpty }.joined(separator: " — ")
        return text.isEmpty ? nil : text
    }

    static func rows(_ json: Any?) throws -> [[String: String]] {
        guard let arr = json as? [Any] else {
            if json == nil { return [] }
            if let o = json as? [String: Any] { return [strings(o)] }
            throw RouterOSError(.protocolError, "expected a list")
        }
        return arr.compactMap { ($0 as? [String: Any]).map(strings) }
    }

    static func strings(_ o: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in o { out[k] = (v as? String) ?? "\(v)" }
        return out
    }

    static func escape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }

    // MARK: RouterOSClient

    public func info() throws -> RouterInfo {
        let identity = try Self.rows(call(.GET, "/system/identity")).first?["name"] ?? ""
        let res = try Self.rows(call(.GET, "/system/resource")).first ?? [:]
        return RouterInfo(identity: identity, version: res["version"] ?? "", board: res["board-name"] ?? "")
    }

    public func secrets(name: String?) throws -> [PPPSecret] {
        try Self.rows(call(.GET, "/ppp/secret", query: name.map { [("name", $0)] } ?? [])).map(Self.secret)
    }

    static func secret(_ r: [String: String]) -> PPPSecret {
        PPPSecret(id: r[".id"] ?? "", name: r["name"] ?? "", profile: r["profile"] ?? "default", comment: r["comment"] ?? "",
                  service: r["service"] ?? "any", disabled: r["disabled"] == "true")
    }

    public func setSecretProfile(id: String, profile: String) throws {
        _ = try call(.PATCH, "/ppp/secret/" + Self.escape(id), body: ["profile": profile])
    }

    public func activeSessions(name: String?) throws -> [PPPActive] {
        try Self.rows(call(.GET, "/ppp/active", query: name.map { [("name", $0)] } ?? [])).map {
            PPPActive(id: $0[".id"] ?? "", name: $0["name"] ?? "", address: $0["address"] ?? "")
        }
    }

    public func removeActive(id: String) throws { _ = try call(.DELETE, "/ppp/active/" + Self.escape(id)) }

    public func addressList(list: String?) throws -> [AddressListEntry] {
        try Self.rows(call(.GET, "/ip/firewall/address-list", query: list.map { [("list", $0)] } ?? [])).map {
            AddressListEntry(id: $0[".id"] ?? "", list: $0["list"] ?? "", address: $0["address"] ?? "", comment: $0["comment"] ?? "")
        }
    }

    public func addAddressListEntry(list: String, address: String, comment: String) throws {
        _ = try call(.PUT, "/ip/firewall/address-list", body: ["list": list, "address": address, "comment": comment])
    }

    public func removeAddressListEntry(id: String) throws { _ = try call(.DELETE, "/ip/firewall/address-list/" + Self.escape(id)) }
}
