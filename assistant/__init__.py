"""Grounded question answering over the policy corpus."""

from assistant.errors import PolicyAssistantError

__all__ = ["PolicyAssistantError"]
