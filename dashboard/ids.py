"""Component ids of the link chart page, shared by the layout, the callbacks and the browser tests."""

from __future__ import annotations

# Navigation
URL = "url"
PAGE_CHART = "page-chart"
PAGE_QUERIES = "page-queries"

# Search and filters
SEARCH = "search-input"
SEARCH_TYPES = "search-types"
SEARCH_RESULTS = "search-results"
SEARCH_HIT = "search-hit"  # pattern-matching type: {"type": SEARCH_HIT, "key": entity key}
FILTER_TYPES = "filter-types"
FILTER_PREDICATES = "filter-predicates"
FILTER_DOCS = "filter-docs"
FILTER_DATES = "filter-dates"
FILTER_MIN_EVIDENCE = "filter-min-evidence"

# Chart and its tools
CHART = "chart"
LAYOUT = "layout-choice"
SIZE_BY = "size-by"
EXPAND = "btn-expand"
MORE = "btn-more"
COLLAPSE = "btn-collapse"
REMOVE = "btn-remove"
PIN = "btn-pin"
UNDO = "btn-undo"
CLEAR = "btn-clear"
FIT = "btn-fit"
EXPORT_PNG = "btn-export-png"
EXPORT_JSON = "btn-export-json"
DOWNLOAD_JSON = "download-json"
CHART_MESSAGE = "chart-message"
LEGEND = "legend"

# Paths
PATH_FROM = "path-from"
PATH_TO = "path-to"
PATH_SET_FROM = "btn-path-from"
PATH_SET_TO = "btn-path-to"
PATH_FIND = "btn-path-find"
PATH_HOPS = "path-hops"
PATH_RESULT = "path-result"

# Side panels
DETAILS = "details-panel"
EVIDENCE = "evidence-panel"
EXPORT_CSV = "btn-export-csv"
DOWNLOAD_CSV = "download-csv"
OPEN_DOC = "open-doc"  # pattern-matching type: {"type": OPEN_DOC, "doc": doc id, "n": position}
DOC_VIEW = "doc-view"
DOC_BODY = "doc-body"
DOC_CLOSE = "btn-doc-close"

# Status
STATUS = "status"
STATUS_POLL = "status-poll"

# Client-side state
STORE_HISTORY = "store-history"
STORE_EXPANDED = "store-expanded"
STORE_SELECTED = "store-selected"
STORE_DOUBLE_TAP = "store-double-tap"
STORE_CHART_HOOKED = "store-chart-hooked"
STORE_EVIDENCE = "store-evidence"
STORE_PATH = "store-path"
STORE_FILTERS = "store-filters"  # the resolved `graph.read.Filters`, read by chart, evidence and paths
STORE_DOC = "store-doc"
