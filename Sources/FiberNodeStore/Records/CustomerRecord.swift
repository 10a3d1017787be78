import Foundation
import GRDB

/// A customer (`customers`), owned by the superadmin or a mitra. Area = owner's business name.
public struct CustomerRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public var id: String
    public var no: Int
    public var code: String
    public var ownerId: String
    public var packageId: String
    public var name: String
    public var phone: String
    public var nik: String?
    public var address: String?
    public var billingDate: Int
    public var discount: Int
    public var totalBill: Int
    public var status: String
    public var registerDate: String
    public var notes: String?
    public var deletedAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public static let databaseTableName = "customers"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Inserts through one cached prepared statement with positional arguments: the Codable
    /// path converts every key to snake case on every row, which dominated a 10,000-row import.
    /// `stamp`: created/updated time already converted (a bulk insert converts it once).
    func insertFast(_ db: Database, stamp: DatabaseValue? = nil) throws {
        let st = try db.cachedStatement(sql: Self.insertSQL(rows: 1))
        try st.execute(arguments: StatementArguments(values(stamp: stamp)))
    }

    static let insertColumns = """
        INSERT INTO customers(id, no, code, owner_id, package_id, name, phone, nik, address, billing_date, discount,
                              total_bill, status, register_date, notes, deleted_at, version, created_at, updated_at)
        VALUES
        """

    /// The positional INSERT of `rows` customers (19 values each).
    static func insertSQL(rows: Int) -> String {
        insertColumns + " " + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The 19 values of `insertSQL`, in its column order.
    func values(stamp: DatabaseValue?) -> [DatabaseValue] {
        [id.databaseValue, no.databaseValue, code.databaseValue, ownerId.databaseValue, packageId.databaseValue,
         name.databaseValue, phone.databaseValue, nik.databaseValue, address.databaseValue, billingDate.databaseValue,
         discount.databaseValue, totalBill.databaseValue, status.databaseValue, registerDate.databaseValue,
         notes.databaseValue, deletedAt.databaseValue, version.databaseValue,
         stamp ?? createdAt.databaseValue, stamp ?? updatedAt.databaseValue]
    }

    /// Rows per statement of `insertMany` (19,000 variables, under SQLite's default limit of 32,766).
    static let rowsPerInsert = 1_000

    /// Inserts `records` in order, `rowsPerInsert` rows per statement, with the same values
    /// (and so the same triggers, in the same order) as one `insertFast` each.
    ///
    /// Why not one statement per row: inside a transaction every statement that fires the
    /// FTS trigger opens a statement savepoint, and FTS5 writes its pending terms to disk at
    /// each savepoint — a new index segment per customer, merged again and again. A
    /// 10,000-row import wrote 0.9 GB to the WAL that way (issue 17 item 4).
    static func insertMany(_ db: Database, _ records: [CustomerRecord], stamp: DatabaseValue? = nil) throws {
        var start = 0
        while start < records.count {
            let end = min(records.count, start + rowsPerInsert)
            let sql = insertSQL(rows: end - start)
            let st = end - start == rowsPerInsert ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
            var values: [DatabaseValue] = []
            values.reserveCapacity((end - start) * 19)
            for r in records[start..<end] { values.append(contentsOf: r.values(stamp: stamp)) }
            try st.execute(arguments: StatementArguments(values))
            start = end
        }
    }
}
