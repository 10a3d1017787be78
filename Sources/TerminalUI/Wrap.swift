// MARK: - Word wrap

/// Word-wraps text to lines of at most `width` display cells; words longer than a line are cut,
/// never inside a wide character. "\n" starts a new line.
public func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        var lineWidth = 0
        let before = lines.count
        for word in paragraph.split(separator: " ") {
            var w = String(word)
            var ww = TextWidth.width(of: w)
            while ww > width {
                if !line.isEmpty { lines.append(line); line = ""; lineWidth = 0 }
                var head = TextWidth.truncate(w, to: width, ellipsis: false)
                if head.isEmpty { head = String(w.first!) }   // a wide char in a 1-cell line: emit it anyway
                lines.append(head)
                w = String(w.dropFirst(head.count))
                ww = TextWidth.width(of: w)
            }
            if w.isEmpty { continue }
            if line.isEmpty { line = w; lineWidth = ww }
            else if lineWidth + 1 + ww <= width { line += " " + w; lineWidth += 1 + ww }
            else { lines.append(line); line = w; lineWidth = ww }
        }
        if !line.isEmpty || lines.count == before { lines.append(line) }
    }
    return lines
}
