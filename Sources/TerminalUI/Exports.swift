// Sanitizer lives in TextSafety so the command line can clean text without the TUI (issue 13).
@_exported import TextSafety
