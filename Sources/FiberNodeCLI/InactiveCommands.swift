import ArgumentParser
import FiberNodeStore
import FiberNodeStrings
import FiberNodeMessages

// customers deactivate / activate (issue 14): a stopped service, superadmin only.
extension CustomersCommand {
    static func setInactive(_ global: GlobalOptions, _ id: String, inactive: Bool) throws {
        let cli = CLI(global)
        try cli.asUser { db, user, s in
            let c = try db.setInactive(id, inactive: inactive, actor: user.actor, context: cli.context)
            if global.json { cli.printJSON(["id": c.id, "code": c.code, "status": c.status]) }
            else { print(s.f(inactive ? .custDeactivated : .custActivated, c.code, c.name)) }
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a customer inactive (superadmin): service stopped, no invoices, no reminders.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id or code.") var customer: String
        func run() throws { try CustomersCommand.setInactive(global, customer, inactive: true) }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an inactive customer active again (superadmin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Customer id or code.") var customer: String
        func run() throws { try CustomersCommand.setInactive(global, customer, inactive: false) }
    }
}
