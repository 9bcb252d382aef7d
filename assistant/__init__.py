"""Grounded question answering over the policy corpus.

from assistant import Assistant
a = Assistant.load()
a.ask("鲁科贷实际支付利息80万元，能贴息多少？").to_dict()
"""

from assistant.answer import Answer, Citation
from assistant.conversation import Conversation
from assistant.core import Assistant, validate_question
from assistant.errors import InputError, NotFoundError, PolicyAssistantError

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "Conversation",
    "InputError",
    "NotFoundError",
    "PolicyAssistantError",
    "validate_question",
]
