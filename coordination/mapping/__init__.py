"""The public map's data: server-side grid clustering and per-area counts.

Pure functions over plain data (`cluster_points`, `fragmentation_by_area`) so they can
be benchmarked without Flask; `read` holds the database reads that feed them.
"""
from .areas import AreaCell, fragmentation_by_area
from .cluster import MapPoint, ViewCluster, cluster_points, effective_zoom

__all__ = ["AreaCell", "MapPoint", "ViewCluster", "cluster_points", "effective_zoom",
           "fragmentation_by_area"]
