"""From files to checked entries: strict YAML, entry checks, the entry cache, links between entries."""
