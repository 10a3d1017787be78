import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports

/// Keuangan → "Uang masuk" (issue 14): live payments by the day they came in, by method and
/// by owner, over a date range (default: this month up to today). Figures come from
/// `collected`, the same function as `finance collected` and the dashboard.
extension FinancePane {
    /// Day rows, then the methods, then the owners; section titles are rows too.
    var collectedRows: [(cells: [String], heading: Bool)] {
        var out: [(cells: [String], heading: Bool)] = []
        out.append(([s[.finByDay], "", ""], true))
        for d in collected.byDay { out.append(([d.day.display(language: s.language.rawValue), String(d.count), money(d.amount)], false)) }
        out.append(([s[.finByMethod], "", ""], true))
        for m in PaymentMethod.allCases where collected.byMethod[m.rawValue] != nil {
            out.append(([s.methodName(m.rawValue), String(collected.countByMethod[m.rawValue] ?? 0), money(collected.byMethod[m.rawValue]!)], false))
        }
        if actor.can(.viewAllOwners) {
            out.append(([s[.finByOwner], "", ""], true))
            for o in collected.byOwner { out.append(([o.businessName, String(o.count), money(o.amount)], false)) }
        }
        return out
    }

    func shiftCollected(months d: Int) {
        let p = collectedFrom.period.adding(months: d)
        collectedFrom = LocalDate(year: p.year, month: p.month, day: 1)!
        collectedTo = LocalDate(year: p.year, month: p.month, day: p.numberOfDays)!
    }

    func collectedRangeDialog() {
        session.present(FormModal(title: s[.finCollectedRange], fields: [
            FormFieldSpec(s[.fDateFrom], value: collectedFrom.description, maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.fDateTo], value: collectedTo.description, maxLength: 10, hint: "YYYY-MM-DD"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            guard let f = LocalDate(v[0].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fDateFrom], "YYYY-MM-DD") }
            guard let t = LocalDate(v[1].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fDateTo], "YYYY-MM-DD") }
            guard f <= t else { return self.s.f(.errInvalid, self.s[.fDateTo], "≥ \(f)") }
            self.collectedFrom = f; self.collectedTo = t; self.selected = 0; self.top = 0
            self.reload()
            return nil
        })
    }

    /// Exports the ledger of the range shown, through the same writers as the invoice export.
    func exportPaymentsDialog() {
        let formats: [(value: String, label: String)] = [("csv", "CSV"), ("xlsx", "XLSX (Excel)")]
        let form = FormModal(title: s[.expPaymentsTitle], fields: [
            FormFieldSpec(s[.fDateFrom], value: collectedFrom.description, maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.fDateTo], value: collectedTo.description, maxLength: 10, hint: "YYYY-MM-DD"),
            FormFieldSpec(s[.expFormat], value: "csv", options: formats),
            SaveDialog.nameField(s, session: session, proposed: "pembayaran-\(collectedFrom)-\(collectedTo).csv"),
        ], strings: s) { [weak self] v in
            guard let self else { return nil }
            guard let f = LocalDate(v[0].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fDateFrom], "YYYY-MM-DD") }
            guard let t = LocalDate(v[1].trimmingCharacters(in: .whitespaces)) else { return self.s.f(.errInvalid, self.s[.fDateTo], "YYYY-MM-DD") }
            guard f <= t else { return self.s.f(.errInvalid, self.s[.fDateTo], "≥ \(f)") }
            let format = ExportFormat(rawValue: v[2]) ?? .csv
            // the same save path (output policy, replace confirmation) as the invoice export
            return SaveDialog.save(self.session, name: v[3], extensions: format.extensions) { path, force in
                do {
                    let r = try PaymentExporter.export(db: self.session.db, actor: self.actor, from: f, to: t, ownerId: self.ownerId,
                                                       format: format, to: path, force: force, language: self.s.language.rawValue,
                                                       timeZone: self.session.settings.timeZone)
                    return self.s.f(.expPaymentsDone, r.rows, path, Rupiah(r.total).formatted)
                } catch ExportError.tooManyRows(let n) {
                    throw StoreError.invalid(field: self.s[.expFormat], reason: .other(self.s.f(.expTooManyRows, n)))
                }
            }
        }
        SaveDialog.followFormat(form, formatIndex: 2, nameIndex: 3) { ExportFormat(rawValue: $0)?.extensions[0] ?? "csv" }
        session.present(form)
    }

    func drawCollected(_ screen: Screen, _ area: Rect) {
        let cols = [ListColumn(s[.colPayDate], 16, flexible: true, priority: 10), ListColumn(s[.colPayments], 10, priority: 7, align: .right),
                    ListColumn(s[.colAmount], 14, priority: 9, align: .right)]
        let rows = collectedRows
        let line = s.f(.finCollectedLine, collectedFrom.description, collectedTo.description, Rupiah(collected.total).formatted, collected.count)
        drawList(screen, area, columns: cols, rows: rows.map(\.cells),
                 styles: rows.map { $0.heading ? session.theme.accent : session.theme.text }, footer: [line])
    }
}
