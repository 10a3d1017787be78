import Foundation
import TerminalUI
import FiberNodeDomain
import FiberNodeStore
import FiberNodeReports

/// The work on one invoice, from any pane that shows it (Tagihan's row, a customer's invoices,
/// issue 13): pay with a reference, view and save the receipt, send the receipt or a reminder
/// by WhatsApp (the wa.me fallback when WhatsApp is not set up). `changed` re-reads the caller.
enum InvoiceActions {
    static func today(_ session: Session) -> LocalDate {
        LocalDate.from(session.context.clock.now(), in: session.settings.timeZone)
    }

    static func pay(_ inv: InvoiceRow, session: Session, changed: @escaping () -> Void) {
        let s = session.strings, actor = session.actor
        guard actor.can(.markPayment) else { return }
        guard !inv.isPaid else { session.error(text: s.f(.exPaidInFull, inv.number)); return }
        let methods = PaymentMethod.allCases.map { ($0.rawValue, s.methodName($0.rawValue)) }
        session.present(FormModal(title: s.f(.payTitle, inv.number, inv.customerName), fields: [
            FormFieldSpec(s[.fMethod], value: PaymentMethod.cash.rawValue, options: methods),
            FormFieldSpec(s[.fAmount], value: String(inv.remaining), maxLength: 12, hint: s.f(.payHint, Rupiah(inv.remaining).formatted)),
            FormFieldSpec(s[.fReference], maxLength: 100, hint: s[.refHint]),
            FormFieldSpec(s[.fNotes], maxLength: 500),
        ], strings: s) { [weak session] v in
            guard let session else { return nil }
            guard let amount = Rupiah.parse(v[1]) else { return s.f(.errInvalid, s[.fAmount], s[.errNotANumber]) }
            do {
                let saved = try session.db.markPaid(inv.id, method: PaymentMethod(rawValue: v[0]) ?? .cash, amount: amount.value,
                                                    note: v[3], reference: v[2], expectedVersion: inv.version, actor: actor,
                                                    context: session.context)
                session.info(s.f(.invPaid, saved.number, s.name(saved.invoiceStatus)))
                if saved.isPaid {   // an automatic isolation ends on full payment (issue 14)
                    _ = try? DailyJob.restoreAfterPayment(db: session.db, customerId: saved.customerId, today: today(session),
                                                          context: session.context)
                }
                WhatsAppDirect.afterPayment(saved, session: session)   // issue 6: the receipt, directly
                changed()
                return nil
            } catch StoreError.changedByOther {
                // Someone else changed it: nothing was written; show the fresh list.
                changed()
                session.error(StoreError.changedByOther)
                return s[.errChangedByOther]
            } catch { return s.message(for: error) }
        })
    }

    static func unpay(_ inv: InvoiceRow, session: Session, changed: @escaping () -> Void) {
        let s = session.strings, actor = session.actor
        guard inv.invoiceStatus != .unpaid, actor.can(.markPayment) else { return }
        session.present(FormModal(title: s.f(.unpayTitle, inv.number), fields: [FormFieldSpec(s[.fReason], maxLength: 500)], strings: s) { [weak session] v in
            guard let session else { return nil }
            do {
                let saved = try session.db.markUnpaid(inv.id, reason: v[0], expectedVersion: inv.version, actor: actor, context: session.context)
                session.info(s.f(.invUnpaid, saved.number))
                changed()
                return nil
            } catch StoreError.changedByOther {
                changed()
                return s[.errChangedByOther]
            } catch { return s.message(for: error) }
        })
    }

    static func showReceipt(_ inv: InvoiceRow, session: Session) {
        let text = Receipt.text(inv, options: ReceiptOptions(settings: session.settings), width: 48,
                                payments: (try? session.db.payments(invoice: inv.id, actor: session.actor)) ?? [])
        // The status stamp stands in the title too: a receipt with several payments is taller
        // than the dialog, and whether it is paid must not need scrolling.
        session.present(TextViewModal(title: inv.number + " · " + Receipt.stamp(inv), text: text, strings: session.strings))
    }

    static func saveReceipt(_ inv: InvoiceRow, session: Session) {
        let s = session.strings
        let formats = [("html", "HTML"), ("text", "Teks 48"), ("text32", "Teks 32")]
        func ext(_ format: String) -> String { format == "html" ? "html" : "txt" }
        let form = FormModal(title: s[.keySaveReceipt], fields: [
            FormFieldSpec(s[.expFormat], value: "html", options: formats),
            SaveDialog.nameField(s, session: session, proposed: "nota-\(inv.number).html"),
        ], strings: s) { [weak session] v in
            guard let session else { return nil }
            let opts = ReceiptOptions(settings: session.settings)
            let payments = (try? session.db.payments(invoice: inv.id, actor: session.actor)) ?? []
            let body: String
            switch v[0] {
            case "text": body = Receipt.text(inv, options: opts, width: 48, payments: payments)
            case "text32": body = Receipt.text(inv, options: opts, width: 32, payments: payments)
            default: body = Receipt.html(inv, options: opts, payments: payments)
            }
            let policy = session.db.outputPolicy(for: session.actor)
            return SaveDialog.save(session, name: v[1], extensions: v[0] == "html" ? ["html", "htm"] : ["txt"]) { path, force in
                try policy.write(Data(body.utf8), to: path, force: force)
                return s.f(.receiptSaved, path)
            }
        }
        SaveDialog.followFormat(form, formatIndex: 0, nameIndex: 1, extensionFor: ext)
        session.present(form)
    }

    /// The message an invoice calls for: its receipt once anything is paid, else a reminder
    /// (the overdue one after the due date).
    static func messageKind(_ inv: InvoiceRow, today: LocalDate) -> MessageKind {
        if inv.isPaid { return .receipt }
        return inv.dueDate < today.description ? .overdue : .reminder
    }

    /// Sends (or resends) the receipt or a reminder: a preview first, Enter sends; with no
    /// gateway the wa.me fallback opens.
    static func message(_ inv: InvoiceRow, session: Session, changed: @escaping () -> Void) {
        let s = session.strings
        guard session.actor.can(.sendWhatsApp) else { return }
        let kind = messageKind(inv, today: today(session))
        do {
            let m = try session.db.compose(kind: kind, customerId: inv.customerId, invoiceId: inv.id, actor: session.actor,
                                           context: session.context)
            session.present(PreviewModal(title: s.f(.srchSendTitle, s.templateName(kind.rawValue), Sanitizer.clean(m.customerName)),
                                         text: m.text, strings: s) { [weak session] in
                guard let session else { return }
                WhatsAppDirect.send(m, session: session, offerFallback: true)
                changed()
            })
        } catch { session.error(error) }
    }
}
