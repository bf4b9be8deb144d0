"""Attribution extraction: finding cues, their sources and their contents in a parsed Doc."""
