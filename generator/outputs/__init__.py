"""Files beside the pages: the data package, timelines, the search index and name list."""
