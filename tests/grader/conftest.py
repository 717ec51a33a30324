"""The grader's own tests. Fixture assignments and hostile submissions are data, not tests."""

collect_ignore_glob = ["fixtures/*", "hostile/*"]
