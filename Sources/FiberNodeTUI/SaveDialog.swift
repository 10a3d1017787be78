import Foundation
import TerminalUI
import FiberNodeStore

/// The one way a pane saves a file (issue 12, item 1): every export and "save receipt" dialog
/// goes through `OutputPolicy` (the store's rules: a mitra only in its export folder, never
/// the database, a backup, a folder or a symlink, files 0600), proposes a name whose
/// extension follows the chosen format, asks before replacing an existing file, and shows
/// the absolute path it wrote.
enum SaveDialog {
    /// The name field of a save form: a bare name (it lands in the user's export folder; the
    /// superadmin may type an absolute path instead) and the folder as its hint.
    static func nameField(_ s: Strings, session: Session, proposed: String) -> FormFieldSpec {
        FormFieldSpec(s[.expPathLabel], value: proposed, maxLength: 500,
                      hint: s.f(.outFolderHint, session.db.outputPolicy(for: session.actor).exportFolder))
    }

    /// Makes the name field (index `nameIndex`) follow the format chosen in field `formatIndex`:
    /// `extensionFor` gives the extension for a format value.
    static func followFormat(_ form: FormModal, formatIndex: Int, nameIndex: Int, extensionFor: @escaping (String) -> String) {
        form.onChoice = { changed, fields in
            guard changed == formatIndex else { return }
            let ext = extensionFor(fields[formatIndex].value)
            let name = fields[nameIndex].value
            let renamed = OutputPolicy.replacingExtension(of: name.isEmpty ? "ekspor" : name, with: ext)
            fields[nameIndex].field = TextField(value: renamed, maxLength: fields[nameIndex].field.maxLength)
        }
    }

    /// Resolves `name` under the session user's policy and runs `write(path, force)`, which
    /// returns the status line to show. An existing file is replaced only after a yes in a
    /// confirmation dialog. Returns an error sentence to keep the form open, or nil to close it.
    static func save(_ session: Session, name: String, extensions: [String],
                     write: @escaping (_ path: String, _ force: Bool) throws -> String) -> String? {
        let s = session.strings
        let policy = session.db.outputPolicy(for: session.actor)
        func run(force: Bool) throws {
            let path = try policy.resolve(name, extensions: extensions, force: force)
            session.info(try write(path, force))
            offerDownload(session, path: path)
        }
        do {
            try run(force: false)
            return nil
        } catch OutputError.exists(let path) {
            session.present(ConfirmModal(title: s[.outReplaceTitle], message: s.f(.outReplaceConfirm, path), yes: s[.yes], no: s[.no],
                                         ascii: session.ascii) {
                do { try run(force: true) } catch { session.error(error) }
            })
            return nil
        } catch {
            return s.message(for: error, timeZone: session.settings.timeZone)
        }
    }

    /// Hook for the one-time download link (`/download/TOKEN` through `fibernode serve` when
    /// `receipt.base_url` is set): branch `http` adds `db.createDownloadLink(path:fileName:userId:context:)`;
    /// once merged, this appends the link to the status line (see DECISIONS.md, issue 12).
    static func offerDownload(_ session: Session, path: String) {
        // When branch `http` is merged (store API `createDownloadLink`), this becomes:
        //   let base = session.settings["receipt.base_url"]
        //   guard !base.isEmpty, let token = try? session.db.createDownloadLink(
        //       path: path, fileName: (path as NSString).lastPathComponent,
        //       userId: session.actor.userId, context: session.context) else { return }
        //   session.info((session.status?.text ?? "") + " · " +
        //                session.strings.f(.outLink, base + "/download/" + token))
        // (`.outLink` — "Unduh sekali pakai (1 jam): %@" — is already in the strings table.)
        _ = path
    }
}
