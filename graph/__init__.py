"""casegraph's graph layer: the Neo4j model, its writer and read queries.

Driver-free modules (`settings`, `domain`, `models`) can be imported by every stage.
"""
