import TerminalUI

/// The three terminal themes.
public enum ThemeName: String, CaseIterable, Sendable {
    case dark, light, mono
}

/// Named styles for every part of the screen; panes never pick colours themselves.
public struct Theme: Sendable {
    public let name: ThemeName
    public let base: Style
    public let header: Style
    public let menu: Style
    public let menuSelected: Style
    public let title: Style
    public let text: Style
    public let dim: Style
    public let accent: Style
    public let tableHeader: Style
    public let selected: Style
    public let status: Style
    public let statusError: Style
    public let statusOK: Style
    public let fkey: Style
    public let fkeyLabel: Style
    public let dialog: Style
    public let field: Style
    public let fieldFocused: Style
    public let fieldReadOnly: Style
    public let error: Style
    public let ok: Style
    public let warn: Style

    public static func named(_ name: ThemeName) -> Theme {
        switch name {
        case .dark:
            return Theme(name: name,
                         base: Style(fg: .white, bg: .black),
                         header: Style(fg: .white, bg: .blue, bold: true),
                         menu: Style(fg: .cyan, bg: .black),
                         menuSelected: Style(fg: .black, bg: .cyan, bold: true),
                         title: Style(fg: .cyan, bg: .black, bold: true),
                         text: Style(fg: .white, bg: .black),
                         dim: Style(fg: .white, bg: .black, dim: true),
                         accent: Style(fg: .yellow, bg: .black, bold: true),
                         tableHeader: Style(fg: .black, bg: .green, bold: true),
                         selected: Style(fg: .black, bg: .cyan),
                         status: Style(fg: .white, bg: .black),
                         statusError: Style(fg: .white, bg: .red, bold: true),
                         statusOK: Style(fg: .black, bg: .green),
                         fkey: Style(fg: .white, bg: .black, bold: true),
                         fkeyLabel: Style(fg: .black, bg: .cyan),
                         dialog: Style(fg: .white, bg: .blue),
                         field: Style(fg: .white, bg: .black, underline: true),
                         fieldFocused: Style(fg: .black, bg: .white),
                         fieldReadOnly: Style(fg: .white, bg: .blue, dim: true),
                         error: Style(fg: .red, bg: .black, bold: true),
                         ok: Style(fg: .green, bg: .black, bold: true),
                         warn: Style(fg: .yellow, bg: .black))
        case .light:
            return Theme(name: name,
                         base: Style(fg: .black, bg: .white),
                         header: Style(fg: .white, bg: .blue, bold: true),
                         menu: Style(fg: .blue, bg: .white),
                         menuSelected: Style(fg: .white, bg: .blue, bold: true),
                         title: Style(fg: .blue, bg: .white, bold: true),
                         text: Style(fg: .black, bg: .white),
                         dim: Style(fg: .black, bg: .white, dim: true),
                         accent: Style(fg: .magenta, bg: .white, bold: true),
                         tableHeader: Style(fg: .white, bg: .blue, bold: true),
                         // not white on cyan (unreadable on most palettes): issue 13 item 8
                         selected: Style(fg: .black, bg: .yellow),
                         status: Style(fg: .black, bg: .white),
                         statusError: Style(fg: .white, bg: .red, bold: true),
                         statusOK: Style(fg: .white, bg: .green),
                         fkey: Style(fg: .black, bg: .white, bold: true),
                         fkeyLabel: Style(fg: .white, bg: .blue),
                         dialog: Style(fg: .black, bg: .cyan),
                         field: Style(fg: .black, bg: .white, underline: true),
                         fieldFocused: Style(fg: .white, bg: .black),
                         fieldReadOnly: Style(fg: .black, bg: .cyan, dim: true),
                         error: Style(fg: .red, bg: .white, bold: true),
                         ok: Style(fg: .green, bg: .white, bold: true),
                         warn: Style(fg: .magenta, bg: .white))
        case .mono:
            return Theme(name: name,
                         base: .plain,
                         header: Style(reverse: true),
                         menu: .plain,
                         menuSelected: Style(bold: true, reverse: true),
                         title: Style(bold: true),
                         text: .plain,
                         dim: Style(dim: true),
                         accent: Style(bold: true),
                         tableHeader: Style(bold: true, underline: true),
                         selected: Style(reverse: true),
                         status: .plain,
                         statusError: Style(bold: true, reverse: true),
                         statusOK: Style(bold: true),
                         fkey: Style(bold: true),
                         fkeyLabel: Style(reverse: true),
                         dialog: .plain,
                         field: Style(underline: true),
                         fieldFocused: Style(reverse: true),
                         fieldReadOnly: Style(dim: true),
                         error: Style(bold: true),
                         ok: Style(bold: true),
                         warn: Style(bold: true))
        }
    }
}
