"""Load: read content files, front-matter and statement blocks, resolve dates, render prose."""
