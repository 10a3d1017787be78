// MARK: - BarChart

/// Vertical bar charts as text lines, with Unicode eighth blocks ▁▂▃▄▅▆▇█ or an ASCII '#' fallback.
public enum BarChart {
    static let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `height` lines of bars (tallest value = full height; negatives count as 0) then one line of
    /// labels. Each value gets a column group `width / values.count - 1` cells wide plus a space.
    /// Every line is at most `width` cells.
    public static func render(values: [Int], labels: [String], width: Int, height: Int, ascii: Bool) -> [String] {
        guard !values.isEmpty, width > 0, height > 0 else { return [] }
        let vals = values.map { max(0, $0) }
        let maxV = max(1, vals.max() ?? 1)
        let barW = max(1, width / vals.count - 1)
        var lines: [String] = []
        for level in (0..<height).reversed() {
            var line = ""
            for v in vals {
                let eighths = Int((Double(v) * Double(height * 8) / Double(maxV)).rounded())
                let cell = min(8, max(0, eighths - level * 8))
                let ch: Character = ascii ? (cell >= 4 ? "#" : " ") : blocks[cell]
                line += String(repeating: ch, count: barW) + " "
            }
            lines.append(String(line.prefix(width)))
        }
        var labelLine = ""
        for i in vals.indices { labelLine += TextWidth.pad(i < labels.count ? labels[i] : "", to: barW) + " " }
        lines.append(TextWidth.truncate(Sanitizer.clean(labelLine), to: width, ellipsis: false))
        return lines
    }

    /// The same bars with a scale on the left (issue 13 item 8): the top, middle and zero values
    /// of the axis written by `scale`, then an axis line │ (| in ASCII); bars take the rest.
    /// Every line is at most `width` cells; the label line is indented past the axis.
    public static func render(values: [Int], labels: [String], width: Int, height: Int, ascii: Bool,
                              scale: (Int) -> String) -> [String] {
        guard !values.isEmpty, width > 0, height > 0 else { return [] }
        let maxV = max(1, values.map { max(0, $0) }.max() ?? 1)
        var marks: [Int: String] = [0: scale(maxV), height - 1: scale(0)]
        // a row's mark is the value at its top edge: row r (0 = top) reaches maxV·(height − r)/height
        if height >= 5 { let m = (height - 1) / 2; marks[m] = scale(Int((Double(maxV) * Double(height - m) / Double(height)).rounded())) }
        let axisW = (marks.values.map { TextWidth.width(of: $0) }.max() ?? 0) + 1
        guard width - axisW - 1 >= values.count else { return render(values: values, labels: labels, width: width, height: height, ascii: ascii) }
        let bars = render(values: values, labels: labels, width: width - axisW - 1, height: height, ascii: ascii)
        let axis = ascii ? "|" : "│"
        var out: [String] = []
        for (i, line) in bars.enumerated() {
            if i < height {
                out.append(TextWidth.pad(marks[i] ?? "", to: axisW - 1, align: .right) + " " + axis + line)
            } else {
                out.append(String(repeating: " ", count: axisW + 1) + line)
            }
        }
        return out
    }
}
