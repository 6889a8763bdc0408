"""The sans-IO replay core: wire types, operation Ids, the per-execution state with its
replay-or-run decision, and checkpoint batching. No clocks, no threads, no network."""
