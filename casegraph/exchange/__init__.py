"""Exchange with the tools analysts already use (docs/exchange.md): FollowTheMoney, GraphML/GEXF for
Gephi, i2 Analyst's Notebook CSV, and the agency's rosters as knowledge-base entries."""
