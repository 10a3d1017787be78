import Foundation
import ArgumentParser
import FiberNodeFakes

/// `fibernode-bench fake-graph --port-file F --approve name:params`: the fake WhatsApp Cloud API
/// as a process (tmux end-to-end tests, issue 18). Control routes: `GET /__fake/sent`.
struct FakeGraphCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fake-graph", abstract: "Run the fake WhatsApp Cloud API on 127.0.0.1 (tests).",
                                                    shouldDisplay: false)
    @Option(name: .long) var port: UInt16 = 0
    @Option(name: .long, help: "The bearer token it accepts.") var token: String = "EAAG-test-token"
    @Option(name: .customLong("phone-id"), help: "The phone number id it serves.") var phoneId: String = "109876543210"
    @Option(name: .long, help: "An approved template NAME:PARAMS (language id), repeatable.") var approve: [String] = []
    @Option(name: .long, help: "Write the port here once listening.") var portFile: String?
    func run() throws {
        let fake = try FakeGraphAPI(port: port, token: token, phoneNumberId: phoneId)
        for a in approve {
            let p = a.split(separator: ":")
            if p.count == 2, let n = Int(p[1]) { fake.approve(String(p[0]), params: n) }
        }
        let url = try fake.start()
        if let portFile { try "\(fake.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        FileHandle.standardError.write(Data("fake Graph API on \(url)\n".utf8))
        signal(SIGTERM, SIG_DFL)
        while true { sleep(3600) }
    }
}
