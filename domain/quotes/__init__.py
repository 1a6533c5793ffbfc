"""Quotes (方案制定与报价): the product catalog, pricing, quote versions, discount approvals, documents' content."""
