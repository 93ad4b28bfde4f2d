"""What every layer shares, and nothing else: the root of the errors ILP Atlas raises.

Public API: `ilp_base.errors.AtlasError`, whose subclasses name their HTTP status, title and
exit code. Imports nothing of ours.
"""
