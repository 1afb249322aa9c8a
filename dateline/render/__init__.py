"""Pages and exports from a timeline: bytes in memory, never written here."""
