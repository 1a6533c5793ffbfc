"""Follow-up in chat: /log and the timeline, the nudges' buttons, /find, /stale."""
