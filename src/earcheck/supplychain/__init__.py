"""Supply chains (capability 4): bills of materials and their de minimis rollup, production graphs and
foreign-direct-product tracing across tiers, and impact analysis over portfolios of cases.

Every answer here is the engine's: a BOM becomes an item's US-origin content, a production graph becomes
an item's production facts, a scenario becomes changed rule data -- and the engine decides.
"""
