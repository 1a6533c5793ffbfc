"""Wiring: configuration, Dispatcher and middlewares, rendering, i18n, scheduler, CLI."""
