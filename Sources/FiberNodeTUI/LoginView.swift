import Foundation
import TerminalUI
import FiberNodeStore

/// The splash: business/app name, text logo, version. Any key skips it.
enum SplashView {
    static func draw(on screen: Screen, theme: Theme, strings: Strings, settings: SettingsSnapshot) {
        let logo = settings["app.logo"].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lines = logo + ["", settings["app.name"], strings[.appTagline], strings.f(.version, AppInfo.version), "",
                            strings[.pressAnyKey]]
        let top = max(0, (screen.height - lines.count) / 2)
        drawLogo(logo, top: top, on: screen, style: theme.title)
        for (i, line) in lines.enumerated() where i >= logo.count {
            centered(line, row: top + i, on: screen, style: i == logo.count + 1 ? theme.accent : theme.text)
        }
    }

    /// The logo is centred as a block so its lines stay aligned.
    static func drawLogo(_ logo: [String], top: Int, on screen: Screen, style: Style) {
        let w = logo.map { TextWidth.width(of: $0) }.max() ?? 0
        let col = max(0, (screen.width - w) / 2)
        for (i, line) in logo.enumerated() { screen.put(line, row: top + i, col: col, style: style) }
    }

    static func centered(_ text: String, row: Int, on screen: Screen, style: Style) {
        let w = TextWidth.width(of: text)
        screen.put(text, row: row, col: max(0, (screen.width - w) / 2), style: style)
    }
}

/// The login screen: username, then password; Tab or Enter moves on, Enter on the last field submits.
final class LoginView {
    enum Result { case none, quit, submit(String, String) }

    let strings: Strings
    let theme: Theme
    let settings: SettingsSnapshot
    let ascii: Bool
    var username = TextField(maxLength: 100)
    var password = TextField(secure: true, maxLength: 128)
    var focus = 0
    var message: (String, Bool)?

    init(strings: Strings, theme: Theme, settings: SettingsSnapshot, ascii: Bool) {
        self.strings = strings; self.theme = theme; self.settings = settings; self.ascii = ascii
    }

    func handle(_ key: Key) -> Result {
        switch key {
        case .function(10): return .quit
        case .tab, .down:
            focus = (focus + 1) % 2
        case .backTab, .up:
            focus = (focus + 1) % 2
        case .enter:
            if focus == 0 { focus = 1 } else { return .submit(username.value, password.value) }
        case .escape:
            password.value = ""; password.cursor = 0
        default:
            if focus == 0 { _ = username.handle(key) } else { _ = password.handle(key) }
        }
        return .none
    }

    /// After a failed attempt: clear the password, keep the username, show why.
    func failed(message text: String) {
        message = (text, true)
        password.value = ""; password.cursor = 0
        focus = 1
    }

    func draw(on screen: Screen) {
        let logo = settings["app.logo"].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let boxW = 60, boxH = 9
        let logoH = screen.height >= logo.count + boxH + 6 ? logo.count + 1 : 0
        let top = max(0, (screen.height - boxH - logoH - 3) / 2)
        if logoH > 0 {
            SplashView.drawLogo(logo, top: top, on: screen, style: theme.title)
        }
        let row = top + logoH
        SplashView.centered(settings["app.name"] + "  " + strings.f(.version, AppInfo.version), row: row, on: screen, style: theme.accent)
        let col = max(0, (screen.width - boxW) / 2)
        Box.draw(on: screen, row: row + 1, col: col, width: boxW, height: boxH, title: strings[.loginTitle], style: theme.text, ascii: ascii)
        let labelW = 16
        screen.put(strings[.loginUsername], row: row + 3, col: col + 3, style: theme.text)
        screen.put(strings[.loginPassword], row: row + 5, col: col + 3, style: theme.text)
        let fieldW = boxW - labelW - 6
        username.draw(on: screen, row: row + 3, col: col + 3 + labelW, width: fieldW,
                      style: focus == 0 ? theme.fieldFocused : theme.field, focused: focus == 0)
        password.draw(on: screen, row: row + 5, col: col + 3 + labelW, width: fieldW,
                      style: focus == 1 ? theme.fieldFocused : theme.field, focused: focus == 1)
        if let (text, isError) = message {
            for (i, line) in wrap(text, width: boxW - 6).prefix(2).enumerated() {
                screen.put(line, row: row + 7 + i, col: col + 3, style: isError ? theme.error : theme.ok)
            }
        }
        SplashView.centered(strings[.loginHint], row: min(screen.height - 1, row + boxH + 2), on: screen, style: theme.dim)
        // Put the cursor back on the focused field (drawn last).
        if focus == 0 {
            username.draw(on: screen, row: row + 3, col: col + 3 + labelW, width: fieldW, style: theme.fieldFocused, focused: true)
        } else {
            password.draw(on: screen, row: row + 5, col: col + 3 + labelW, width: fieldW, style: theme.fieldFocused, focused: true)
        }
    }
}
