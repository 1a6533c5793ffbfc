"""Contracts and payments (合同签署与回款): issue 12."""
