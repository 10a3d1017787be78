import Foundation
import GRDB
import CSV
import FiberNodeDomain

// MARK: - Values

/// Why one CSV row was rejected.
public enum ImportProblem: Equatable, Sendable {
    case columnCount(found: Int, expected: Int)
    case missingName
    case phone(PhoneError)
    /// The same phone AND name as an earlier line of the file: the same row twice.
    case phoneRepeated(firstLine: Int)
    /// The same phone AND name as a registered customer: already imported.
    case phoneExists
    case unknownArea(String)
    case unknownPackage(String)
    case notANumber(field: String)
    case priceMismatch(given: Int, actual: Int)
    case totalMismatch(given: Int, expected: Int)
    case discountOutOfRange(discount: Int, price: Int)
    case billingDay(String)
    case nik
    case registerDate(String)
    /// Control characters in a text column (issue 12): the column's header name.
    case controlCharacters(field: String)
    // Optional columns router, pppoe, ip (issue 15)
    case unknownRouter(String)
    case serviceTarget(String)
    // A warning, not a rejection (collect3, issue 14 §5): the phone serves another connection
    // (another name) — registered already (`firstLine` nil) or earlier in this file.
    case phoneShared(firstLine: Int?)
}

/// A rejected row: its physical line in the file and why.
public struct ImportRejection: Equatable, Sendable {
    public let line: Int
    public let problem: ImportProblem
}

/// A row that passed every check.
public struct ImportedRow: Equatable, Sendable {
    public let line: Int
    public let name: String
    public let phone: String
    public let area: String
    public let packageName: String
    public let billingDay: Int
    public let discount: Int
    public let total: Int
}

/// The outcome of reading (and, unless a dry run, importing) a file.
public struct ImportReport: Equatable, Sendable {
    public var valid: [ImportedRow]
    public var rejected: [ImportRejection]
    public var imported: Int
    public var dryRun: Bool
    /// Rows imported (or valid) with a warning: a phone shared by several connections.
    public var warnings: [ImportRejection] = []
}

/// The columns of the spec's customer CSV, in order.
public enum CustomerCSV {
    public static let header = ["nama", "telepon", "diskon", "tanggal", "area", "paket_nama", "paket_tarif",
                                "total_bayar", "nik", "tanggal_register"]
    /// Optional columns after the spec's ten: the customer's router link (issue 15).
    public static let serviceColumns: Set<String> = ["router", "pppoe", "ip"]

    /// Removes the formula guard (a leading ' before = + - @) that CSV exports add.
    public static func unguard(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.dropFirst().first, "=+-@".contains(second) else { return field }
        return String(field.dropFirst())
    }

    /// Splits CSV text into records with their physical starting line (RFC 4180; BOM, CRLF/LF).
    static func records(_ text: String) throws -> [(line: Int, fields: [String])] {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader: CSVReader
        // Fields are trimmed here, not by CSV.swift (its trimming bridges every field through
        // NSString and was most of the parse time of a 10,000-row file).
        do { reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false) } catch {
            throw StoreError.invalid(field: "csv", reason: .badFormat(expected: header.joined(separator: ",")))
        }
        var out: [(Int, [String])] = []
        var line = 1
        while let row = reader.next() {
            out.append((line, row.map(trim)))
            // quoted fields may span lines
            line += 1 + row.reduce(0) { n, field in
                n + (field.utf8.contains(0x0A) || field.utf8.contains(0x0D) ? field.filter { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.count : 0)
            }
        }
        if let e = reader.error { throw StoreError.invalid(field: "csv", reason: .other("\(e)")) }
        return out
    }
}

/// Tabs and spaces (any Unicode space separator, like CharacterSet.whitespaces) off both
/// ends: what CSV.swift's `trimFields` did, without a Foundation round trip per field.
func trim(_ field: String) -> String {
    func blank(_ u: Unicode.Scalar) -> Bool { u == "\t" || u.properties.generalCategory == .spaceSeparator }
    let scalars = field.unicodeScalars
    guard let first = scalars.first, let last = scalars.last, blank(first) || blank(last) else { return field }
    var start = scalars.startIndex, end = scalars.endIndex
    while start < end, blank(scalars[start]) { start = scalars.index(after: start) }
    while end > start, blank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return String(scalars[start..<end])
}

// MARK: - Use case

extension AppDatabase {
    /// Reads the customer CSV, validates every row, and (unless `dryRun`) inserts every valid
    /// row in ONE transaction. Rejected rows change nothing. Superadmin only.
    /// `progress(rows read, rows)` every 500 rows (issue 13: a long import says how far it is).
    public func importCustomers(csv text: String, dryRun: Bool, actor: Actor, context: StoreContext,
                                progress: ((Int, Int) -> Void)? = nil) throws -> ImportReport {
        guard actor.can(.importCustomers) else { throw StoreError.notPermitted }
        let records = try CustomerCSV.records(text)
        guard let head = records.first else { throw StoreError.invalid(field: "csv", reason: .required) }
        let names = head.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        // The spec's ten columns, then optionally `router`, `pppoe`, `ip` (issue 15) in any order.
        let extras = Array(names.dropFirst(CustomerCSV.header.count))
        guard Array(names.prefix(CustomerCSV.header.count)) == CustomerCSV.header,
              Set(extras).isSubset(of: CustomerCSV.serviceColumns), Set(extras).count == extras.count else {
            throw StoreError.invalid(field: "header", reason: .badFormat(expected: CustomerCSV.header.joined(separator: ",")))
        }
        var columnIndex: [String: Int] = [:]
        for (i, n) in names.enumerated() { columnIndex[n] = i }
        let body = records.dropFirst().filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }

        let work = { (db: Database) throws -> ImportReport in
            // Look-ups loaded once: the import must stay fast at 10,000 rows.
            var owners: [String: String] = [:]   // lowercased business name → id
            for row in try Row.fetchAll(db, sql: "SELECT id, business_name FROM users WHERE deleted_at IS NULL AND is_active = 1") {
                owners[(row["business_name"] as String).lowercased()] = row["id"]
            }
            var packages: [String: PackageRecord] = [:]
            for p in try PackageRecord.fetchAll(db) { packages[p.name.lowercased()] = p }
            // phone → the lowercased names registered on it: the same phone and name is the same
            // connection (rejected, so a file imports once); another name is another connection
            // of the household (imported with a warning).
            var phones: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT phone, name FROM customers WHERE deleted_at IS NULL") {
                phones[row[0] as String, default: []].insert((row[1] as String).lowercased())
            }
            var seen: [String: [(line: Int, name: String)]] = [:]
            var warnings: [ImportRejection] = []
            var routers: [String: String] = [:]   // lowercased router name → id
            if !extras.isEmpty {
                for row in try Row.fetchAll(db, sql: "SELECT id, name FROM routers") { routers[(row["name"] as String).lowercased()] = row["id"] }
            }
            var targets = Set(try String.fetchAll(db, sql: "SELECT router_id || '|' || kind || '|' || target FROM customer_services"))
            var services: [String: (router: String, kind: String, target: String)] = [:]   // customer record id → link
            let today = LocalDate.from(context.clock.now(), in: try Self.settings(db).timeZone)

            var valid: [(ImportedRow, CustomerRecord)] = []
            var rejected: [ImportRejection] = []
            var processed = 0
            progress?(0, body.count)
            for (line, f) in body {
                processed += 1
                if processed % 500 == 0 { progress?(processed, body.count) }
                func reject(_ p: ImportProblem) { rejected.append(ImportRejection(line: line, problem: p)) }
                guard f.count == names.count else { reject(.columnCount(found: f.count, expected: names.count)); continue }
                // An exported name that started with = + - @ carries the CSV formula guard ' (issue
                // 12): it is removed so that an export re-imports to the same name.
                let name = CustomerCSV.unguard(f[0])
                guard !name.isEmpty, name.count <= 255 else { reject(.missingName); continue }
                if let bad = [(name, "nama"), (f[4], "area"), (f[5], "paket_nama")].first(where: {
                    $0.0.unicodeScalars.contains(where: Validate.isControl) }) {
                    reject(.controlCharacters(field: bad.1)); continue
                }
                let phone: String
                do { phone = try PhoneNumber.normalize(f[1]).digits } catch let e as PhoneError { reject(.phone(e)); continue }
                let lower = name.lowercased()
                if let same = seen[phone]?.first(where: { $0.name == lower }) { reject(.phoneRepeated(firstLine: same.line)); continue }
                if phones[phone]?.contains(lower) == true { reject(.phoneExists); continue }
                let shared: ImportProblem? = phones[phone] != nil ? .phoneShared(firstLine: nil)
                    : seen[phone]?.first.map { .phoneShared(firstLine: $0.line) }
                guard let discount = f[2].isEmpty ? 0 : Rupiah.parse(f[2])?.value else { reject(.notANumber(field: "diskon")); continue }
                guard let day = Int(f[3]), (1...28).contains(day) else { reject(.billingDay(f[3])); continue }
                guard let ownerId = owners[f[4].lowercased()] else { reject(.unknownArea(f[4])); continue }
                guard let package = packages[f[5].lowercased()] else { reject(.unknownPackage(f[5])); continue }
                guard let price = Rupiah.parse(f[6])?.value else { reject(.notANumber(field: "paket_tarif")); continue }
                guard price == package.price else { reject(.priceMismatch(given: price, actual: package.price)); continue }
                guard (0...package.price).contains(discount) else { reject(.discountOutOfRange(discount: discount, price: package.price)); continue }
                guard let total = Rupiah.parse(f[7])?.value else { reject(.notANumber(field: "total_bayar")); continue }
                guard total == package.price - discount else { reject(.totalMismatch(given: total, expected: package.price - discount)); continue }
                let nik = f[8]
                if !nik.isEmpty, !(nik.count == 16 && nik.allSatisfy { $0.isASCII && $0.isNumber }) { reject(.nik); continue }
                let register: LocalDate
                if f[9].isEmpty { register = today } else {
                    guard let d = LocalDate(f[9]) else { reject(.registerDate(f[9])); continue }
                    register = d
                }
                var service: (router: String, kind: String, target: String)?
                let routerName = columnIndex["router"].map { f[$0] } ?? "", pppoe = columnIndex["pppoe"].map { f[$0] } ?? ""
                let ip = columnIndex["ip"].map { f[$0] } ?? ""
                if !routerName.isEmpty || !pppoe.isEmpty || !ip.isEmpty {
                    guard let rid = routers[routerName.lowercased()] else { reject(.unknownRouter(routerName)); continue }
                    guard pppoe.isEmpty != ip.isEmpty else { reject(.serviceTarget(pppoe + ip)); continue }
                    let kind = ip.isEmpty ? "pppoe" : "ip"
                    let target: String
                    if kind == "ip" { guard let v = try? RouterStore.validIP(ip) else { reject(.serviceTarget(ip)); continue }; target = v }
                    else { guard let v = try? RouterStore.validName(pppoe, field: "pppoe") else { reject(.serviceTarget(pppoe)); continue }; target = v }
                    guard !targets.contains("\(rid)|\(kind)|\(target)") else { reject(.serviceTarget(target)); continue }
                    targets.insert("\(rid)|\(kind)|\(target)")
                    service = (rid, kind, target)
                }
                seen[phone, default: []].append((line, lower))
                if let shared { warnings.append(ImportRejection(line: line, problem: shared)) }
                let now = context.clock.now()
                let rec = CustomerRecord(id: context.random.uuid(), no: 0, code: "", ownerId: ownerId, packageId: package.id,
                                         name: name, phone: phone, nik: nik.isEmpty ? nil : nik, address: nil, billingDate: day,
                                         discount: discount, totalBill: package.price - discount, status: "active",
                                         registerDate: register.description, notes: nil, deletedAt: nil, version: 1,
                                         createdAt: now, updatedAt: now)
                if let service { services[rec.id] = service }
                valid.append((ImportedRow(line: line, name: name, phone: phone, area: f[4], packageName: package.name,
                                          billingDay: day, discount: discount, total: package.price - discount), rec))
            }
            var imported = 0
            if !dryRun, !valid.isEmpty {
                // Reserve a block of customer numbers in one step.
                let stamp = context.clock.now().databaseValue
                let first = try CustomerStore.nextCounter(db, "customer")
                try db.execute(sql: "UPDATE counters SET value = value + ? WHERE name = 'customer'", arguments: [valid.count - 1])
                var records = valid.map(\.1)
                for i in records.indices {
                    records[i].no = first + i
                    records[i].code = CustomerStore.code(for: first + i)
                }
                // Every customer first, in a few multi-row statements (one per row made FTS5
                // write an index segment per customer: see `insertMany`), then their router
                // links and audit rows, each in the file's order.
                try CustomerRecord.insertMany(db, records, stamp: stamp)
                for rec in records {
                    if let l = services[rec.id] {
                        try db.execute(sql: "INSERT INTO customer_services(customer_id, router_id, kind, target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                                       arguments: [rec.id, l.router, l.kind, l.target, stamp, stamp])
                    }
                }
                try Audit.recordMany(db, actor: actor, action: "customer.import", resource: "customers",
                                     rows: zip(records, valid).map { ($0.id, Self.importAuditJSON($0, line: $1.0.line)) },
                                     context: context, at: stamp)
                imported = valid.count
            }
            return ImportReport(valid: valid.map(\.0), rejected: rejected, imported: imported, dryRun: dryRun, warnings: warnings)
        }
        return dryRun ? try read(work) : try write(work)
    }

    /// The audit metadata of one imported customer, `{"after": auditFields, "line": n}`, written
    /// directly: the same text as `AuditJSON.encode` of those dictionaries (sorted keys; see
    /// ImportGoldenTests), without building and dynamically casting 14 `Any` values per row.
    static func importAuditJSON(_ c: CustomerRecord, line: Int) -> String {
        var out = "{\"after\":{\"address\":"
        AuditJSON.string(c.address ?? "", to: &out)
        out += ",\"billing_date\":" + String(c.billingDate) + ",\"discount\":" + String(c.discount) + ",\"name\":"
        AuditJSON.string(c.name, to: &out)
        out += ",\"nik\":"
        AuditJSON.string(c.nik ?? "", to: &out)
        out += ",\"notes\":"
        AuditJSON.string(c.notes ?? "", to: &out)
        out += ",\"owner_id\":"
        AuditJSON.string(c.ownerId, to: &out)
        out += ",\"package_id\":"
        AuditJSON.string(c.packageId, to: &out)
        out += ",\"phone\":"
        AuditJSON.string(c.phone, to: &out)
        out += ",\"register_date\":"
        AuditJSON.string(c.registerDate, to: &out)
        out += ",\"status\":"
        AuditJSON.string(c.status, to: &out)
        out += ",\"total_bill\":" + String(c.totalBill) + "},\"line\":" + String(line) + "}"
        return out
    }
}
