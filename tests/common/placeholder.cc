// Keeps weft_test_common non-empty before shared helpers exist.
