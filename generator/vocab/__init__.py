"""The project's vocabulary, each fact defined once: kinds, statuses, slug rules, date patterns,
URL schemes, and where the theme and the cache live. Everything else derives from these modules."""
