"""The public conformance requirements of AWS durable execution, run on our local runner."""
