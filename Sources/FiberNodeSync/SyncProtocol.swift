import Foundation
import FiberNodeDomain
import FiberNodeStore

/// The sync protocol (issue 16), version 1. Frames are JSON objects with a type `t`:
///
///     laptop → server   hello {v, schema, mode: clone, user, password, device_name}
///                       hello {v, schema, mode: sync, device, token}
///     server → laptop   welcome {device, token (clone only), user_id, role, cursor} | error {code, message}
///     clone:            rows {table, columns, rows} …, done {cursor}
///     sync:             push {ops: [{key, type, payload}]} → results {results: [{key, status, reason}]}
///                       pull {cursor, refresh} → rows … , pulled {cursor, tombstones}
///                       bye → bye
///
/// Every push is answered only after each operation's transaction committed on the server;
/// the laptop removes an operation from its log only after it read the answer, and moves its
/// cursor only in the transaction that applies the pulled rows. A cut at any byte leaves
/// both sides consistent; the next sync repeats what was not answered, and the server's
/// `(device, key)` record makes the repeat change nothing.
public enum SyncProtocol {
    public static let version = 1
    public static let batch = 250
    public static let rowsPerFrame = 2000
}

/// Why a sync failed, as the laptop tells its user.
public enum SyncFailure: Error, Equatable, Sendable {
    /// The server refused the device (revoked by the superadmin).
    case revoked
    /// Wrong username/password (clone) or unknown device token (sync).
    case login(String)
    /// The two sides run different schema versions.
    case schema(server: Int, laptop: Int)
    /// The connection dropped; nothing is lost, sync again.
    case connection(String)
    /// The server said something else went wrong.
    case server(String)
    /// This database is not a laptop clone.
    case notLaptop
}

/// What a sync did, for the CLI's JSON and the TUI's message.
public struct SyncReport: Sendable, Equatable {
    public var pushed = 0, applied = 0, conflicts = 0, rejected = 0, pulled = 0
    public var reasons: [String] = []
    public init() {}
    public var json: [String: Any] {
        ["pushed": pushed, "applied": applied, "conflicts": conflicts, "rejected": rejected, "pulled": pulled]
    }
}

/// Progress of a sync: phase and counts.
public enum SyncProgress: Sendable, Equatable {
    case connecting
    case pushing(done: Int, total: Int)
    case pulling(rows: Int)
    case done
}

// MARK: - Server

/// The server side of one session over a byte stream (what `fibernode sync-serve` runs).
public final class SyncServer {
    let db: AppDatabase
    let context: StoreContext
    public init(db: AppDatabase, context: StoreContext) { self.db = db; self.context = context }

    /// Serves one laptop until it says bye or the stream ends. Never throws: a dropped
    /// connection leaves what was committed committed.
    public func serve(_ channel: SyncChannel) {
        let frames = FrameChannel(channel)
        defer { channel.close() }
        do { try session(frames) } catch {}
    }

    func refuse(_ frames: FrameChannel, _ code: String, _ message: String) throws {
        try frames.send(["t": "error", "code": code, "message": message])
    }

    func session(_ frames: FrameChannel) throws {
        let hello = try frames.receive()
        guard hello["t"] as? String == "hello" else { return try refuse(frames, "protocol", "hello expected") }
        let schema = hello["schema"] as? Int ?? 0
        guard schema == AppDatabase.schemaVersion else {
            return try refuse(frames, "schema", "\(AppDatabase.schemaVersion)")
        }
        switch hello["mode"] as? String {
        case "clone":
            let profile: UserProfile
            do { profile = try db.login(username: hello["user"] as? String ?? "", password: hello["password"] as? String ?? "", context: context) }
            catch { return try refuse(frames, "login", "\(error)") }
            let actor = profile.actor
            let device = try db.registerDevice(name: hello["device_name"] as? String ?? "laptop", actor: actor, context: context)
            let snap = try db.syncSnapshot(actor: actor)
            try frames.send(["t": "welcome", "device": device.id, "token": device.token, "user_id": actor.userId,
                             "role": actor.role.rawValue, "cursor": snap.cursor])
            try sendRows(frames, snap.tables)
            try frames.send(["t": "done", "cursor": snap.cursor])
            try db.deviceSynced(device.id, context: context)
        case "sync":
            let deviceId = hello["device"] as? String ?? ""
            let actor: Actor
            do { actor = try db.deviceActor(deviceId: deviceId, token: hello["token"] as? String ?? "") }
            catch SyncStoreError.revoked { return try refuse(frames, "revoked", deviceId) }
            catch { return try refuse(frames, "login", "device") }
            try frames.send(["t": "welcome", "device": deviceId, "user_id": actor.userId, "role": actor.role.rawValue])
            while true {
                let msg = try frames.receive()
                switch msg["t"] as? String {
                case "push":
                    let ops = (msg["ops"] as? [[String: Any]] ?? []).map {
                        SyncOperation(key: $0["key"] as? String ?? "", type: $0["type"] as? String ?? "", payload: $0["payload"] as? String ?? "")
                    }
                    let results = ops.map { db.replay($0, deviceId: deviceId, actor: actor, context: context) }
                    try frames.send(["t": "results", "results": results.map {
                        ["key": $0.key, "status": $0.status, "reason": $0.reason ?? NSNull()] as [String: Any]
                    }])
                case "pull":
                    let refresh = (msg["refresh"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String] }
                    let ch = try db.syncChanges(actor: actor, since: msg["cursor"] as? Int ?? 0, refresh: refresh)
                    try sendRows(frames, ch.tables)
                    try frames.send(["t": "pulled", "cursor": ch.cursor, "tombstones": ch.tombstones])
                case "bye":
                    try db.deviceSynced(deviceId, context: context)
                    try frames.send(["t": "bye"])
                    return
                default:
                    return try refuse(frames, "protocol", "unknown message")
                }
            }
        default:
            try refuse(frames, "protocol", "mode")
        }
    }

    func sendRows(_ frames: FrameChannel, _ tables: [SyncTable]) throws {
        for t in tables {
            var i = 0
            repeat {
                try frames.sendRaw(RowsJSON.encode(table: t.name, columns: t.columns,
                                                   rows: t.rows[i..<min(t.rows.count, i + SyncProtocol.rowsPerFrame)]))
                i += SyncProtocol.rowsPerFrame
            } while i < t.rows.count
        }
    }
}

// MARK: - Laptop

/// The laptop side: `clone` makes the laptop database, `sync` pushes and pulls.
public final class SyncClient {
    let db: AppDatabase
    let context: StoreContext
    public var progress: (SyncProgress) -> Void = { _ in }

    public init(db: AppDatabase, context: StoreContext) { self.db = db; self.context = context }

    func expect(_ msg: [String: Any]) throws -> [String: Any] {
        if msg["t"] as? String == "error" {
            let code = msg["code"] as? String ?? "", message = msg["message"] as? String ?? ""
            switch code {
            case "revoked": throw SyncFailure.revoked
            case "login": throw SyncFailure.login(message)
            case "schema": throw SyncFailure.schema(server: Int(message) ?? 0, laptop: AppDatabase.schemaVersion)
            default: throw SyncFailure.server(message)
            }
        }
        return msg
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SyncTransportError { throw SyncFailure.connection("\(e)") }
    }

    /// Collects `rows` frames until the closing message; returns it and the tables.
    func collectRows(_ frames: FrameChannel, until end: String) throws -> ([SyncTable], [String: Any], Int) {
        var tables: [String: SyncTable] = [:], order: [String] = [], count = 0
        while true {
            let msg = try expect(frames.receive())
            if msg["t"] as? String == end { return (order.compactMap { tables[$0] }, msg, count) }
            guard msg["t"] as? String == "rows", let name = msg["table"] as? String, let cols = msg["columns"] as? [String],
                  let rows = msg["rows"] as? [[Any]] else { throw SyncFailure.server("protocol") }
            if tables[name] == nil { tables[name] = SyncTable(name: name, columns: cols, rows: []); order.append(name) }
            tables[name]!.rows += rows
            count += rows.count
            progress(.pulling(rows: count))
        }
    }

    /// Clones the user's scope into this (new, empty) database and registers the device.
    public func clone(_ channel: SyncChannel, user: String, password: String, deviceName: String, remote: String?) throws {
        defer { channel.close() }
        try wrap {
            let frames = FrameChannel(channel)
            progress(.connecting)
            try frames.send(["t": "hello", "v": SyncProtocol.version, "schema": AppDatabase.schemaVersion, "mode": "clone",
                             "user": user, "password": password, "device_name": deviceName])
            let welcome = try expect(frames.receive())
            guard let device = welcome["device"] as? String, let token = welcome["token"] as? String,
                  let userId = welcome["user_id"] as? String else { throw SyncFailure.server("protocol") }
            let (tables, done, _) = try collectRows(frames, until: "done")
            try db.laptopApplyClone(tables: tables, deviceId: device, token: token, userId: userId, remote: remote,
                                    cursor: done["cursor"] as? Int ?? 0, context: context)
            progress(.done)
        }
    }

    /// Pushes pending operations, then pulls what changed; see `SyncProtocol`.
    public func sync(_ channel: SyncChannel) throws -> SyncReport {
        defer { channel.close() }
        guard let me = try db.laptopStatus() else { throw SyncFailure.notLaptop }
        return try wrap {
            var report = SyncReport()
            let frames = FrameChannel(channel)
            progress(.connecting)
            try frames.send(["t": "hello", "v": SyncProtocol.version, "schema": AppDatabase.schemaVersion, "mode": "sync",
                             "device": me.deviceId, "token": me.token])
            _ = try expect(frames.receive())
            let ops = try db.laptopPendingOps()
            progress(.pushing(done: 0, total: ops.count))
            for start in stride(from: 0, to: ops.count, by: SyncProtocol.batch) {
                let batch = ops[start..<min(ops.count, start + SyncProtocol.batch)]
                try frames.send(["t": "push", "ops": batch.map { ["key": $0.key, "type": $0.type, "payload": $0.payload] }])
                let answer = try expect(frames.receive())
                let results = (answer["results"] as? [[String: Any]] ?? []).map {
                    SyncOpResult(key: $0["key"] as? String ?? "", status: $0["status"] as? String ?? "", reason: $0["reason"] as? String)
                }
                try db.laptopAcknowledge(results)
                for r in results {
                    switch r.status {
                    case "applied": report.applied += 1
                    case "conflict": report.conflicts += 1
                    default: report.rejected += 1; if let why = r.reason { report.reasons.append(why) }
                    }
                }
                report.pushed += batch.count
                progress(.pushing(done: report.pushed, total: ops.count))
            }
            try frames.send(["t": "pull", "cursor": me.cursor, "refresh": try db.laptopRefresh()])
            let (tables, pulled, count) = try collectRows(frames, until: "pulled")
            report.pulled = count
            let tomb = (pulled["tombstones"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String] }
            report.pulled += tomb.values.reduce(0) { $0 + $1.count }
            let summary = try JSONSerialization.data(withJSONObject: report.json, options: [.sortedKeys])
            try db.laptopApplyPull(tables: tables, tombstones: tomb, cursor: pulled["cursor"] as? Int ?? me.cursor,
                                   result: String(decoding: summary, as: UTF8.self), context: context)
            try frames.send(["t": "bye"])
            _ = try? frames.receive()
            progress(.done)
            return report
        }
    }
}
