import Foundation

// The one small protocol both RouterOS clients implement (issue 15). Knows nothing of billing.

/// A PPP secret (`/ppp/secret`).
public struct PPPSecret: Sendable, Equatable {
    public var id: String
    public var name: String
    public var profile: String
    public var comment: String
    public var service: String
    public var disabled: Bool
    public init(id: String, name: String, profile: String, comment: String = "", service: String = "pppoe", disabled: Bool = false) {
        self.id = id; self.name = name; self.profile = profile; self.comment = comment; self.service = service; self.disabled = disabled
    }
}

/// An active PPP session (`/ppp/active`).
public struct PPPActive: Sendable, Equatable {
    public var id: String
    public var name: String
    public var address: String
    public init(id: String, name: String, address: String = "") { self.id = id; self.name = name; self.address = address }
}

/// An entry of `/ip/firewall/address-list`.
public struct AddressListEntry: Sendable, Equatable {
    public var id: String
    public var list: String
    public var address: String
    public var comment: String
    public init(id: String, list: String, address: String, comment: String = "") {
        self.id = id; self.list = list; self.address = address; self.comment = comment
    }
}

/// What `routers test` shows.
public struct RouterInfo: Sendable, Equatable {
    public var identity: String
    public var version: String
    public var board: String
    public init(identity: String, version: String, board: String) { self.identity = identity; self.version = version; self.board = board }
}

/// Why a router call failed. `code` is stable (stored, translated on screen); `detail` is the
/// router's own words or the system's.
public struct RouterOSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreachable          // connection refused / no route / DNS
        case timeout              // no answer within the time limit
        case dropped              // the connection closed in the middle of a reply
        case tls                  // TLS handshake failed
        case untrustedCertificate // self-signed, no fingerprint pinned (detail: its fingerprint)
        case fingerprintMismatch  // the pinned fingerprint differs (detail: the one presented)
        case login                // wrong user or password (detail: the router's words)
        case refused              // `!trap` / REST 4xx-5xx (detail: message — detail)
        case fatal                // `!fatal`
        case protocolError        // the reply made no sense
        case notFound             // the entry FiberNode looked for is not on the router
        case readBack             // applied, but reading back showed something else
    }
    public var code: Code
    public var detail: String
    public init(_ code: Code, _ detail: String = "") { self.code = code; self.detail = detail }
    /// `code: detail`, the form stored in `last_error`.
    public var description: String { detail.isEmpty ? code.rawValue : "\(code.rawValue): \(detail)" }

    /// Parses the stored form back.
    public static func parse(_ stored: String) -> RouterOSError? {
        let parts = stored.split(separator: ":", maxSplits: 1)
        guard let first = parts.first, let code = Code(rawValue: String(first)) else { return nil }
        return RouterOSError(code, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }
}

/// The calls FiberNode makes; every one bounded by the client's timeout.
public protocol RouterOSClient: AnyObject {
    func info() throws -> RouterInfo
    func secrets(name: String?) throws -> [PPPSecret]
    func setSecretProfile(id: String, profile: String) throws
    func activeSessions(name: String?) throws -> [PPPActive]
    func removeActive(id: String) throws
    func addressList(list: String?) throws -> [AddressListEntry]
    func addAddressListEntry(list: String, address: String, comment: String) throws
    func removeAddressListEntry(id: String) throws
    func close()
}

/// Where a router is and how to talk to it.
public struct RouterEndpoint: Sendable, Equatable {
    public enum Kind: String, Sendable { case rest, api }
    public var kind: Kind
    public var tls: Bool
    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    /// SHA-256 of the router certificate (64 hex): a self-signed certificate is accepted only with it.
    public var fingerprint: String?
    /// Seconds for connecting and for each reply.
    public var timeout: Double

    public init(kind: Kind, tls: Bool, host: String, port: Int, username: String, password: String,
                fingerprint: String? = nil, timeout: Double = 5) {
        self.kind = kind; self.tls = tls; self.host = host; self.port = port; self.username = username
        self.password = password; self.fingerprint = fingerprint; self.timeout = timeout
    }

    /// `https://HOST[:P]`, `http://HOST:P`, `api://HOST[:8728]`, `api-ssl://HOST[:8729]`.
    public init(url: String, username: String, password: String, fingerprint: String?, timeout: Double = 5) throws {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty else {
            throw RouterOSError(.protocolError, "url \(url)")
        }
        switch scheme {
        case "https": self.init(kind: .rest, tls: true, host: host, port: c.port ?? 443, username: username, password: password,
                                fingerprint: fingerprint, timeout: timeout)
        case "http": self.init(kind: .rest, tls: false, host: host, port: c.port ?? 80, username: username, password: password,
                               fingerprint: nil, timeout: timeout)
        case "api": self.init(kind: .api, tls: false, host: host, port: c.port ?? 8728, username: username, password: password,
                              fingerprint: nil, timeout: timeout)
        case "api-ssl": self.init(kind: .api, tls: true, host: host, port: c.port ?? 8729, username: username, password: password,
                                  fingerprint: fingerprint, timeout: timeout)
        default: throw RouterOSError(.protocolError, "url \(url)")
        }
    }

    /// Plain HTTP or the plain API: the password crosses the network readable (a LAN only).
    public var isPlainText: Bool { !tls }
}

public enum RouterOS {
    /// A connected (and, for the classic API, logged-in) client for the endpoint.
    public static func connect(_ endpoint: RouterEndpoint) throws -> RouterOSClient {
        switch endpoint.kind {
        case .rest: return RESTClient(endpoint)
        case .api: return try APIClient.connect(endpoint)
        }
    }
}
