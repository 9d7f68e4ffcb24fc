"""Records: what an exporter must keep (15 CFR part 762) and what earcheck's faces write.

==================  ===============================================================================
``applications``    licence applications shaped like form BIS-748P, and their workflow
``licences``        licences: number, validity, parties, conditions, lines with their limits
``shipments``       shipments drawn down against licence lines, never beyond what is left
``determinations``  stored determinations: case, result and provenance
``screening``       screening runs and the decisions reviewers make about hits
``keys``            API keys, roles, web sessions
``audit``           the append-only, hash-chained audit log every change above writes to
``schema``          the tables (SQLite by default, PostgreSQL when configured)
``rows``            inserting a row, reading a page of a list and the child rows of its records
==================  ===============================================================================

Every function that changes a record takes the acting ``keys.Actor``, checks its role, and writes
the change and its audit row in one transaction. Reads take a ``sqlalchemy.Engine`` from
``earcheck.db.migrate(settings)``.
"""
