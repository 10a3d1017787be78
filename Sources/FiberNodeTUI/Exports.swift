// The words live below the TUI (issue 13): the strings table in FiberNodeStrings, the sentences
// for store, gateway and router errors in FiberNodeMessages. Re-exported so the panes read as before.
@_exported import FiberNodeStrings
@_exported import FiberNodeMessages
