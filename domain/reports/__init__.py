"""Review and optimisation (数据复盘): the funnel, cycle times, the breakpoint board, lost reasons and
activity, per team, per rep and per period, computed from the history the bot already keeps.

The numbers are aggregated by storage in SQL (storage/reports_repo.py); this package says what they
mean (periods in the team's time zone, scopes, the read models) and who may see which."""
