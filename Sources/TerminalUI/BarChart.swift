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
}
