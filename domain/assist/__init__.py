"""Cross-team help (跨部门协作): a question to a named colleague, with its own deadline."""
