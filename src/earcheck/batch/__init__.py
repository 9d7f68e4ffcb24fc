"""Batch jobs on Dask's distributed scheduler: screening, checking and delta screening of large files.

``earcheck batch screen|check`` (``cli/batch.py``) is the face; this package holds the parts: the
input cut into partitions (``partitions``), what its rows mean (``inputs``), the output columns and
parts (``outputs``), the job and its checkpoint (``job``), what a list update changed (``delta``) and
the work on the cluster (``run``).
"""
