import Foundation
import XCTest
import FiberNodeStore
import FiberNodeDomain
import FiberNodeRouterOS
import FiberNodeRouters
import FiberNodeFakes

/// A demo store, a fake router (REST or classic API, plain or TLS) and an applier with short timeouts.
final class RouterFixture {
    let db: AppDatabase
    let clock: ManualClock
    let context: StoreContext
    let router = FakeRouterState()
    let server: FakeRouterServer
    let applier: RouterApplier
    let admin: Actor

    init(protocol proto: FakeRouterServer.Kind = .rest, tls: Bool = false, pin: Bool = true, timeout: Double = 1) throws {
        clock = ManualClock(ISO8601DateFormatter().date(from: "2026-03-04T00:00:00Z")!)
        context = StoreContext(clock: clock, random: RandomSource(SplitMix64(seed: 15)), origin: "test", agent: "xctest",
                               passwordCost: .testing)
        db = try AppDatabase.inMemory()
        try Seeder.demo(into: db, context: context)
        admin = try db.login(username: "superadmin", password: "Admin123!", context: context).actor
        server = FakeRouterServer(state: router, protocol: proto, tls: tls)
        try server.start()
        applier = RouterApplier(db: db, context: context, timeout: timeout)
        try db.addRouter(RouterInput(name: "core", url: server.url, username: "fibernode", password: "rahasia",
                                     fingerprint: tls && pin ? FakeRouterCertificate.fingerprint : ""), actor: admin, context: context)
    }

    deinit { server.stop() }

    var conn: RouterConnection { get throws { try db.routerConnection("core", actor: admin) } }

    func mitra() throws -> Actor { try db.login(username: "mitra1", password: "Mitra123!", context: context).actor }
}

final class RouterIsolationTests: XCTestCase {
    func isolateAndRestorePPPoE(_ proto: FakeRouterServer.Kind, tls: Bool) throws {
        let f = try RouterFixture(protocol: proto, tls: tls)
        f.router.addSecret(name: "ahmad", profile: "10M", online: true)
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)

        _ = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        XCTAssertEqual(try f.db.pendingRouterActions(due: nil).count, 1, "the outbox row came with the isolation")
        let c = try f.db.customer(id: "PLG-000001", actor: f.admin)
        XCTAssertEqual(f.applier.apply(customerId: c.id), .done)
        XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "isolir")
        XCTAssertFalse(f.router.isOnline("ahmad"), "the active session was dropped so the change takes effect now")
        XCTAssertEqual(try f.db.service(customer: "PLG-000001", actor: f.admin)?.restoreProfile, "10M")
        XCTAssertEqual(try f.db.latestRouterAction(customer: "PLG-000001", actor: f.admin)?.status, "done")

        _ = try f.db.setIsolated("PLG-000001", isolated: false, actor: f.admin, context: f.context)
        XCTAssertEqual(f.applier.apply(customerId: c.id), .done)
        XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "10M", "the remembered profile is restored")
        XCTAssertTrue(try f.db.pendingRouterActions(due: nil).isEmpty)
    }

    func testIsolateRestoreREST() throws { try isolateAndRestorePPPoE(.rest, tls: false) }
    func testIsolateRestoreRESTOverPinnedTLS() throws { try isolateAndRestorePPPoE(.rest, tls: true) }
    func testIsolateRestoreClassicAPI() throws { try isolateAndRestorePPPoE(.api, tls: false) }
    func testIsolateRestoreClassicAPIOverPinnedTLS() throws { try isolateAndRestorePPPoE(.api, tls: true) }

    func testStaticIPUsesOwnAddressListEntryOnly() throws {
        for proto in [FakeRouterServer.Kind.rest, .api] {
            let f = try RouterFixture(protocol: proto)
            f.router.addEntry(list: "fibernode-isolir", address: "10.9.9.9", comment: "set by hand")
            try f.db.setService(customer: "PLG-000003", router: "core", kind: .ip, target: "192.168.88.30", actor: f.admin, context: f.context)
            let c = try f.db.setIsolated("PLG-000003", isolated: true, actor: f.admin, context: f.context)
            XCTAssertEqual(f.applier.apply(customerId: c.id), .done)
            XCTAssertTrue(f.router.entries.contains { $0.address == "192.168.88.30" && $0.comment == "fibernode:PLG-000003" })
            _ = try f.db.setIsolated("PLG-000003", isolated: false, actor: f.admin, context: f.context)
            XCTAssertEqual(f.applier.apply(customerId: c.id), .done)
            XCTAssertEqual(f.router.entries.map(\.address), ["10.9.9.9"], "only FiberNode's own entry is removed (\(proto))")
        }
    }

    func testUnreachableRouterLeavesActionPendingAndWorkerRetries() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "ahmad", profile: "10M")
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        f.server.stop()
        let c = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        XCTAssertEqual(c.status, "isolated", "the customer is isolated in FiberNode whatever the router says")
        guard case .pending(let e) = f.applier.apply(customerId: c.id) else { return XCTFail("expected pending") }
        XCTAssertEqual(e.code, .unreachable)
        let a = try XCTUnwrap(f.db.latestRouterAction(customer: c.id, actor: f.admin))
        XCTAssertEqual(a.status, "pending")
        XCTAssertTrue(a.lastError?.hasPrefix("unreachable") == true, a.lastError ?? "")
        XCTAssertEqual(try f.db.router("core", actor: f.admin).reachable, false)
        XCTAssertEqual(try f.db.routerSummary(actor: f.admin).pending, 1)

        // The router comes back on the same port; not due yet (backoff), then due.
        try f.server.start(port: f.server.port)
        XCTAssertEqual(f.applier.applyDue(), ApplyReport(), "within the backoff nothing is tried")
        f.clock.advance(by: 31)
        let r = f.applier.applyDue()
        XCTAssertEqual(r.done, 1)
        XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "isolir")
        XCTAssertEqual(try f.db.router("core", actor: f.admin).reachable, true)
    }

    func testRefusedChangeKeepsRouterWordsREST() throws {
        let f = try RouterFixture(protocol: .rest)
        f.router.addSecret(name: "ahmad", profile: "10M")
        f.router.trapOnWrite = "input does not match any value of profile"
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        let c = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        guard case .pending(let e) = f.applier.apply(customerId: c.id) else { return XCTFail("expected pending") }
        XCTAssertEqual(e, RouterOSError(.refused, "Bad Request — input does not match any value of profile"))
    }

    func testTrapKeepsRouterWordsClassicAPI() throws {
        let f = try RouterFixture(protocol: .api)
        f.router.addSecret(name: "ahmad", profile: "10M")
        f.router.trapOnWrite = "input does not match any value of profile"
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        let c = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        guard case .pending(let e) = f.applier.apply(customerId: c.id) else { return XCTFail("expected pending") }
        XCTAssertEqual(e, RouterOSError(.refused, "input does not match any value of profile"))
    }

    func testReadBackCatchesAChangeThatDidNotHappen() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "ahmad", profile: "10M")
        f.router.ignoreWrites = true
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        let c = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        guard case .pending(let e) = f.applier.apply(customerId: c.id) else { return XCTFail("a 2xx is not proof: read back") }
        XCTAssertEqual(e.code, .readBack)
    }

    func testMissingSecretIsPendingWithReason() throws {
        let f = try RouterFixture(protocol: .api)
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "nobody", actor: f.admin, context: f.context)
        let c = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        XCTAssertEqual(f.applier.apply(customerId: c.id), .pending(RouterOSError(.notFound, "PPPoE nobody")))
    }

    func testUnlinkedCustomerQueuesNothing() throws {
        let f = try RouterFixture()
        _ = try f.db.setIsolated("PLG-000002", isolated: true, actor: f.admin, context: f.context)
        XCTAssertTrue(try f.db.pendingRouterActions(due: nil).isEmpty)
    }

    func testLinkingAnIsolatedCustomerQueuesItsIsolation() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "dewi", profile: "20M")
        _ = try f.db.setIsolated("PLG-000002", isolated: true, actor: f.admin, context: f.context)
        try f.db.setService(customer: "PLG-000002", router: "core", kind: .pppoe, target: "dewi", actor: f.admin, context: f.context)
        XCTAssertEqual(f.applier.applyDue().done, 1)
        XCTAssertEqual(f.router.secret(named: "dewi")?.profile, "isolir")
    }
}

final class RouterProtocolTests: XCTestCase {
    func testWrongPasswordBothProtocols() throws {
        for proto in [FakeRouterServer.Kind.rest, .api] {
            let f = try RouterFixture(protocol: proto)
            var c = try f.conn
            c.password = "salah"
            XCTAssertThrowsError(try f.applier.test(c)) { e in
                XCTAssertEqual((e as? RouterOSError)?.code, .login, "\(proto): \(e)")
            }
            if proto == .api {
                XCTAssertThrowsError(try f.applier.test(c)) { e in
                    XCTAssertEqual((e as? RouterOSError)?.detail, "invalid user name or password (6)")
                }
            }
        }
    }

    func testTestShowsVersionBoardIdentity() throws {
        for proto in [FakeRouterServer.Kind.rest, .api] {
            let f = try RouterFixture(protocol: proto)
            let info = try f.applier.test(try f.conn)
            XCTAssertEqual(info, RouterInfo(identity: "FakeTik", version: "7.16.2 (stable)", board: "hAP ax2"))
            let r = try f.db.router("core", actor: f.admin)
            XCTAssertEqual(r.rosVersion, "7.16.2 (stable)")
            XCTAssertEqual(r.reachable, true)
        }
    }

    func testFingerprintMismatchIsRefused() throws {
        for proto in [FakeRouterServer.Kind.rest, .api] {
            let f = try RouterFixture(protocol: proto, tls: true)
            var c = try f.conn
            c.fingerprint = String(repeating: "ab", count: 32)
            XCTAssertThrowsError(try f.applier.test(c)) { e in
                XCTAssertEqual(e as? RouterOSError, RouterOSError(.fingerprintMismatch, FakeRouterCertificate.fingerprint), "\(proto)")
            }
            XCTAssertEqual(f.router.requests, 0, "nothing was sent to a router that is not the pinned one")
        }
    }

    func testUnpinnedSelfSignedIsRefusedWithItsFingerprint() throws {
        let f = try RouterFixture(protocol: .rest, tls: true, pin: false)
        XCTAssertThrowsError(try f.applier.test(try f.conn)) { e in
            XCTAssertEqual(e as? RouterOSError, RouterOSError(.untrustedCertificate, FakeRouterCertificate.fingerprint))
        }
    }

    func testEmptyRepliesAreNoRows() throws {
        let f = try RouterFixture(protocol: .api)
        f.router.emptyReplies = true
        let cl = try RouterOS.connect(try f.applier.endpoint(try f.conn))
        defer { cl.close() }
        XCTAssertEqual(try cl.secrets(name: nil), [])
        XCTAssertEqual(try cl.addressList(list: "fibernode-isolir"), [])
        f.router.addSecret(name: "a", profile: "p")
        XCTAssertEqual(try cl.secrets(name: nil).map(\.name), ["a"], "the connection is still in step after !empty")
    }

    func testDropMidReplyAndHangAreBounded() throws {
        for proto in [FakeRouterServer.Kind.rest, .api] {
            for fault in [FakeRouterState.Fault.dropMidReply, .hang] {
                let f = try RouterFixture(protocol: proto, timeout: 0.5)
                f.router.addSecret(name: "ahmad", profile: "10M")
                try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
                let c = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
                f.router.fault = fault
                let start = Date()
                guard case .pending(let e) = f.applier.apply(customerId: c.id) else { XCTFail("\(proto) \(fault)"); continue }
                XCTAssertLessThan(Date().timeIntervalSince(start), 5, "\(proto) \(fault) is bounded")
                // The login itself may be what hangs or breaks (classic API): timeout or dropped either way.
                XCTAssertTrue([.dropped, .timeout, .protocolError].contains(e.code), "\(proto) \(fault): \(e)")
                if fault == .hang { XCTAssertEqual(e.code, .timeout, "\(proto)") }
            }
        }
    }

    func testWordLengthEncodingRoundTrips() throws {
        // (An empty word is the sentence's end, so words have at least one byte.)
        for (n, prefix) in [(1, 1), (0x7F, 1), (0x80, 2), (0x3FFF, 2), (0x4000, 3), (0x1F_FFFF, 3), (0x20_0000, 4)] {
            var out = [UInt8]()
            APIWords.encodeLength(n, into: &out)
            XCTAssertEqual(out.count, prefix, "length prefix of \(n)")
            let word = String(repeating: "x", count: n)
            let bytes = APIWords.encode([word])
            var i = 0
            let back = try APIWords.decode(bytes, at: &i)
            XCTAssertEqual(back?.first?.count ?? 0, n)
            XCTAssertEqual(i, bytes.count)
        }
        var i = 0
        XCTAssertNil(try APIWords.decode([0x05, 0x61], at: &i), "an incomplete sentence waits for more bytes")
        XCTAssertEqual(i, 0)
    }
}

final class RouterStoreTests: XCTestCase {
    func testPasswordNeverListedAndRedactedInAudit() throws {
        let f = try RouterFixture()
        let rows = try f.db.routers(actor: f.admin)
        XCTAssertEqual(rows.count, 1)
        XCTAssertFalse(String(describing: rows).contains("rahasia"))
        let audit = try f.db.read { d in try String.fetchAll(d, sql: "SELECT metadata FROM activity_logs WHERE action = 'router.create'") }
        XCTAssertEqual(audit.count, 1)
        XCTAssertFalse(audit[0].contains("rahasia"))
        XCTAssertTrue(audit[0].contains("[redacted]"))
    }

    func testMitraSeesOnlyOwnRoutersAndCannotChange() throws {
        let f = try RouterFixture()
        let m = try f.mitra()
        XCTAssertEqual(try f.db.routers(actor: m), [], "the superadmin's router is not the mitra's")
        XCTAssertThrowsError(try f.db.router("core", actor: m)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        try f.db.addRouter(RouterInput(name: "sukamaju", ownerId: "WiFi Sukamaju", url: "http://127.0.0.1:1", username: "u",
                                       password: "p"), actor: f.admin, context: f.context)
        XCTAssertEqual(try f.db.routers(actor: m).map(\.name), ["sukamaju"])
        XCTAssertThrowsError(try f.db.addRouter(RouterInput(name: "x", url: "http://127.0.0.1:1", username: "u", password: "p"),
                                                actor: m, context: f.context)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
        XCTAssertThrowsError(try f.db.routerConnection("sukamaju", actor: m)) { XCTAssertEqual($0 as? StoreError, .notPermitted) }
    }

    func testBadInputChangesNothing() throws {
        let f = try RouterFixture()
        for (input, field) in [(RouterInput(name: "", url: "https://r", username: "u", password: "p"), "name"),
                               (RouterInput(name: "r", url: "ftp://r", username: "u", password: "p"), "url"),
                               (RouterInput(name: "r", url: "https://r", username: "u", password: ""), "password"),
                               (RouterInput(name: "r", url: "https://r", username: "u", password: "p", fingerprint: "zz"), "fingerprint")] {
            XCTAssertThrowsError(try f.db.addRouter(input, actor: f.admin, context: f.context)) { e in
                guard case .invalid(let got, _)? = e as? StoreError else { return XCTFail("\(e)") }
                XCTAssertEqual(got, field)
            }
        }
        XCTAssertThrowsError(try f.db.addRouter(RouterInput(name: "CORE", url: "https://r", username: "u", password: "p"),
                                                actor: f.admin, context: f.context)) {
            guard case .alreadyExists? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try f.db.setService(customer: "PLG-000001", router: "core", kind: .ip, target: "10.0.0.300",
                                                 actor: f.admin, context: f.context))
        XCTAssertEqual(try f.db.routers(actor: f.admin).count, 1)
        XCTAssertNil(try f.db.service(customer: "PLG-000001", actor: f.admin))
    }

    func testNewerActionSupersedesPendingOne() throws {
        let f = try RouterFixture()
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        _ = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
        _ = try f.db.setIsolated("PLG-000001", isolated: false, actor: f.admin, context: f.context)
        let pending = try f.db.pendingRouterActions(due: nil)
        XCTAssertEqual(pending.map(\.action), ["restore"], "only the wanted state is left to apply")
    }

    /// Issue 14 §4 (collect3): a stopped (inactive) service is cut on the router as isolation
    /// does, queued in the same transaction; reactivating restores it; a reconcile keeps it cut.
    func testInactiveCutsServiceOnRouterAndActivationRestores() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "ahmad", profile: "10M", online: true)
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        let c = try f.db.setInactive("PLG-000001", inactive: true, actor: f.admin, context: f.context)
        XCTAssertEqual(try f.db.pendingRouterActions(due: nil).map(\.action), ["isolate"], "the outbox row came with the status")
        XCTAssertEqual(f.applier.apply(customerId: c.id), .done)
        XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "isolir")
        let dry = try f.applier.reconcile(try f.conn, apply: false)
        XCTAssertTrue(dry.differences.isEmpty, "an inactive customer is wanted cut: \(dry.differences)")
        _ = try f.db.setInactive("PLG-000001", inactive: false, actor: f.admin, context: f.context)
        XCTAssertEqual(try f.db.pendingRouterActions(due: nil).map(\.action), ["restore"])
        XCTAssertEqual(f.applier.apply(customerId: c.id), .done)
        XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "10M", "the remembered profile is restored")
        // A refused change (mitra) queues nothing.
        XCTAssertThrowsError(try f.db.setInactive("PLG-000001", inactive: true, actor: try f.mitra(), context: f.context))
        XCTAssertTrue(try f.db.pendingRouterActions(due: nil).isEmpty)
        // Linking an already inactive customer queues its cut.
        f.router.addSecret(name: "dewi", profile: "10M")
        _ = try f.db.setInactive("PLG-000002", inactive: true, actor: f.admin, context: f.context)
        try f.db.setService(customer: "PLG-000002", router: "core", kind: .pppoe, target: "dewi", actor: f.admin, context: f.context)
        XCTAssertEqual(try f.db.pendingRouterActions(due: nil).map(\.action), ["isolate"])
    }

    func testBackoffGrowsAndIsCapped() {
        XCTAssertEqual(RouterStore.backoff(attempts: 1), 30)
        XCTAssertEqual(RouterStore.backoff(attempts: 2), 60)
        XCTAssertEqual(RouterStore.backoff(attempts: 50), 3600)
    }
}

final class RouterReconcileTests: XCTestCase {
    func testReconcileFindsAndFixesDrift() throws {
        for proto in [FakeRouterServer.Kind.rest, .api] {
            let f = try RouterFixture(protocol: proto)
            f.router.addSecret(name: "ahmad", profile: "10M")
            f.router.addSecret(name: "dewi", profile: "isolir")
            f.router.addEntry(list: "fibernode-isolir", address: "10.1.1.1", comment: "fibernode:PLG-000099")
            try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
            try f.db.setService(customer: "PLG-000002", router: "core", kind: .pppoe, target: "dewi", actor: f.admin, context: f.context)
            try f.db.setService(customer: "PLG-000003", router: "core", kind: .ip, target: "192.168.1.3", actor: f.admin, context: f.context)
            // Isolated in FiberNode but the router was never told (outbox dropped by hand).
            _ = try f.db.setIsolated("PLG-000001", isolated: true, actor: f.admin, context: f.context)
            _ = try f.db.setIsolated("PLG-000003", isolated: true, actor: f.admin, context: f.context)
            try f.db.write { d in try d.execute(sql: "DELETE FROM router_actions") }

            let dry = try f.applier.reconcile(try f.conn, apply: false)
            let kinds = dry.differences.map { "\($0.kind.rawValue) \($0.target)" }.sorted()
            XCTAssertEqual(kinds, ["orphanEntry 10.1.1.1", "shouldBeActive dewi", "shouldBeIsolated 192.168.1.3",
                                   "shouldBeIsolated ahmad"], "\(proto)")
            XCTAssertEqual(dry.applied, 0)
            XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "10M", "a dry run changes nothing")

            let applied = try f.applier.reconcile(try f.conn, apply: true)
            XCTAssertEqual(applied.applied, 4)
            XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "isolir")
            XCTAssertEqual(f.router.secret(named: "dewi")?.profile, "default")
            XCTAssertEqual(f.router.entries.map(\.address), ["192.168.1.3"])
            XCTAssertEqual(try f.applier.reconcile(try f.conn, apply: false).differences, [], "in step after apply")
        }
    }

    func testLinkProposalsByNameCommentPhone() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "ahmadfauzi", profile: "10M")
        f.router.addSecret(name: "pelanggan2", profile: "20M", comment: "PLG-000002")
        f.router.addSecret(name: "081333444555", profile: "50M")
        f.router.addSecret(name: "stranger", profile: "10M")
        let p = try f.applier.proposeLinks(try f.conn, actor: f.admin)
        XCTAssertEqual(p.map { "\($0.secret)>\($0.customerCode):\($0.reason.rawValue)" },
                       ["ahmadfauzi>PLG-000001:name", "pelanggan2>PLG-000002:comment", "081333444555>PLG-000003:phone"])
        let n = try f.db.saveLinks(router: "core", links: p.map { ($0.customerId, .pppoe, $0.secret) }, actor: f.admin, context: f.context)
        XCTAssertEqual(n, 3)
        XCTAssertEqual(try f.applier.proposeLinks(try f.conn, actor: f.admin), [], "linked secrets are not proposed again")
    }

    func testDailyDryRunRecordsDriftOncePerDay() throws {
        let f = try RouterFixture()
        f.router.addSecret(name: "ahmad", profile: "isolir")
        try f.db.setService(customer: "PLG-000001", router: "core", kind: .pppoe, target: "ahmad", actor: f.admin, context: f.context)
        XCTAssertEqual(f.applier.reconcileDue(), 1)
        XCTAssertEqual(try f.db.router("core", actor: f.admin).drift, 1)
        XCTAssertEqual(try f.db.routerSummary(actor: f.admin).drift, 1)
        XCTAssertEqual(f.router.secret(named: "ahmad")?.profile, "isolir", "a dry run changes nothing")
        XCTAssertEqual(f.applier.reconcileDue(), 0, "not again the same day")
        f.clock.advance(by: 86_401)
        XCTAssertEqual(f.applier.reconcileDue(), 1)
        // A router that is away is tried once a day too, not on every worker tick.
        f.server.stop()
        f.clock.advance(by: 86_401)
        XCTAssertEqual(f.applier.reconcileDue(), 0)
        XCTAssertTrue(try f.db.routersDueForReconcile(before: f.clock.now().addingTimeInterval(-86_400)).isEmpty)
    }
}

final class RouterImportTests: XCTestCase {
    func testCSVImportWithRouterColumns() throws {
        let f = try RouterFixture()
        let head = CustomerCSV.header.joined(separator: ",") + ",router,pppoe,ip\n"
        let ok1 = "Joko,081200000001,0,5,FiberNode Pusat,Paket 10 Mbps,100000,100000,,,core,joko,\n"
        let ok2 = "Sari,081200000002,0,5,FiberNode Pusat,Paket 10 Mbps,100000,100000,,,CORE,,192.168.88.40\n"
        let plain = "Tono,081200000003,0,5,FiberNode Pusat,Paket 10 Mbps,100000,100000,,,,,\n"
        let badRouter = "Budi,081200000004,0,5,FiberNode Pusat,Paket 10 Mbps,100000,100000,,,nowhere,budi,\n"
        let both = "Ani,081200000005,0,5,FiberNode Pusat,Paket 10 Mbps,100000,100000,,,core,ani,10.0.0.5\n"
        let taken = "Dup,081200000006,0,5,FiberNode Pusat,Paket 10 Mbps,100000,100000,,,core,joko,\n"
        let r = try f.db.importCustomers(csv: head + ok1 + ok2 + plain + badRouter + both + taken, dryRun: false, actor: f.admin, context: f.context)
        XCTAssertEqual(r.imported, 3)
        XCTAssertEqual(r.rejected.map(\.problem), [.unknownRouter("nowhere"), .serviceTarget("ani10.0.0.5"), .serviceTarget("joko")])
        let links = try ["PLG-000004", "PLG-000005", "PLG-000006"].map { try f.db.service(customer: $0, actor: f.admin).map { "\($0.kind):\($0.target)" } }
        XCTAssertEqual(links, ["pppoe:joko", "ip:192.168.88.40", nil])
        // The spec's ten columns alone still import.
        let r2 = try f.db.importCustomers(csv: CustomerCSV.header.joined(separator: ",") + "\n" + plain.replacingOccurrences(of: ",,,\n", with: "\n")
                                           .replacingOccurrences(of: "081200000003", with: "081200000009"), dryRun: true, actor: f.admin, context: f.context)
        XCTAssertEqual(r2.rejected, [])
    }
}
