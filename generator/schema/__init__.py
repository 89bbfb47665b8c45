"""What an entry may contain: field kinds, the declared entry types, JSON Schema and the field reference."""
