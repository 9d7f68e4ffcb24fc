"""An evaluation of party screening built apart from the matcher, so that it can judge it.

Nothing here reads the matcher's code or tables: the variant rules, word tables, alias classes and
negatives are written from their own sources (cited in ``tables/`` and ``docs/research/screening-eval.md``),
and earcheck is called only through its public screening interface (``Screener.build`` over the entries
the CSL adapter reads, ``Screener.screen`` per name), as ``earcheck screen`` does.

- ``generate``: the labelled synthetic set (fixed seed), split into ``dev`` and ``test`` by party before
  any tuning; ``python -m benchmarks.screening_eval.generate --split dev`` writes the dev split as CSV.
- ``real_variants``: leave-one-alias-out over the lists' own aliases, and SDN entries renamed between
  the two SDN.CSV snapshots; ``aliases`` classifies each held-out alias by a written rule.
- ``evaluate``: screens a query set with earcheck and with the naive baseline (rapidfuzz WRatio over
  every listed name, cutoff 90) in the same run, and reports recall per kind, precision, false
  positives per 1,000 clean names, review-band size and a precision-recall curve.
"""
