import FiberNodeCLI
import FiberNodeTUI

// The executable wires the two halves: the commands (FiberNodeCLI, which never imports the TUI)
// and the full-screen app (FiberNodeTUI on curses), started by the CLI through `TUIEntry`.
TUIEntry.themes = ThemeName.allCases.map(\.rawValue)
TUIEntry.launch = TUILauncher.run
FiberNodeCommand.main()
