"""Quotes in chat: the builder (/quote, 📄 报价 on a deal card), approval cards and /approvals, documents."""
